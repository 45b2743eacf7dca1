/** Thrown instead of exiting when a config is loaded from an explicit object (tests). */
export class ConfigError extends Error {}
