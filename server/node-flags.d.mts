/** Types of node-flags.mjs (plain JavaScript so that PM2 can load it through ecosystem.config.js). */
export declare const SERVER_NODE_FLAGS: readonly string[];
export declare const SERVER_ENV: Readonly<Record<string, string>>;
