// PM2 process file. One process for now; scale-out over Redis presence/driver comes later.
// `pm2 start ecosystem.config.js` runs `npm start`, so PM2 uses the pinned Node 24 from node_modules.
module.exports = {
  apps: [
    {
      name: "koto-live",
      script: "npm",
      args: "start",
      cwd: __dirname,
      instances: 1,
      exec_mode: "fork",
      autorestart: true,
      max_memory_restart: "1G",
      kill_timeout: 10000,
      env: {
        NODE_ENV: "production",
        PORT: "5000",
        HOST: "127.0.0.1",
      },
    },
  ],
};
