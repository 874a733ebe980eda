// PM2 process file. One process for now; scale-out over Redis presence/driver comes later.
// It runs `npm start`, so PM2 uses the pinned Node 24 from node_modules. The package is ESM: PM2
// loads this file with require(), which Node >= 20.19 resolves to this module's named exports.
export const apps = [
  {
    name: "koto-live",
    script: "npm",
    args: "start",
    instances: 1,
    exec_mode: "fork",
    autorestart: true,
    max_memory_restart: "1G",
    // Colyseus disposes rooms (and the pipeline finishes evaluations) on SIGTERM before exiting.
    kill_timeout: 15000,
    env: {
      NODE_ENV: "production",
      PORT: "5000",
      HOST: "127.0.0.1",
    },
  },
];

export default { apps };
