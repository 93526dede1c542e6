// Public surface of the provider's configuration.
export type { ProviderConfig, PrometheusConfig, ScrapeConfig, StaticTarget } from './schema.js';
export { CONFIG_SCHEMA } from './schema.js';
export { ConfigError, configFrom, loadConfig, overridesFromEnv, type ConfigOverrides } from './load.js';
