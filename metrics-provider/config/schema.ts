// The provider's configuration: its shape, defaults and JSON Schema. A YAML file is validated against the schema;
// environment variables (VLLM_CANARY_*) and command-line flags override single fields (see load.ts).

export interface PrometheusConfig {
  readonly url: string;
  readonly bearerTokenFile?: string;
  readonly basicAuth?: { readonly username: string; readonly passwordFile: string };
  /** Extra headers, e.g. X-Scope-OrgID for Mimir, Cortex or Thanos tenants. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly tls?: { readonly caFile?: string; readonly insecureSkipVerify?: boolean };
  readonly timeoutSeconds: number;
  readonly cacheTtlSeconds: number;
}

export interface StaticTarget {
  readonly url: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ScrapeConfig {
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retentionSeconds: number;
  readonly maxSeries: number;
  readonly staticTargets: readonly StaticTarget[];
  readonly kubernetes?: {
    readonly namespace: string;
    /** Pods by label selector, or a Service's EndpointSlices. */
    readonly podSelector?: string;
    readonly service?: string;
    readonly port: number;
    readonly kubeconfig?: string;
  };
}

export interface ProviderConfig {
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Every answer within this, below Argo's default timeoutSeconds of 10. */
    readonly deadlineSeconds: number;
    readonly bodyLimitBytes: number;
    /** Requests per second (and burst) the whole provider accepts; each worker takes its share. */
    readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number };
    /**
     * Processes answering on the one port (node:cluster). One is enough for most; more use more cores when many
     * analyses run at once. Each worker keeps its own cache, like a replica.
     */
    readonly workers: number;
  };
  readonly auth: { readonly tokenFile?: string };
  readonly source:
    | { readonly type: 'prometheus'; readonly prometheus: PrometheusConfig }
    | { readonly type: 'scrape'; readonly scrape: ScrapeConfig };
  readonly labels: {
    readonly namespace: string;
    readonly podTemplateHash: string;
    readonly service: string;
    readonly model: string;
  };
  readonly quality: {
    readonly datasetsDir?: string;
    readonly requestsPerMinute: number;
    readonly concurrency: number;
    readonly timeoutSeconds: number;
    readonly maxTokens: number;
    readonly apiKeyFile?: string;
    /** Port of the vLLM Services the sampler calls when an analysis names Services. */
    readonly servicePort: number;
    /** Fixed base URLs of the two versions (outside Kubernetes); otherwise the Services the analysis names. */
    readonly canaryUrl?: string;
    readonly stableUrl?: string;
    /**
     * Where the quality check reads scores: this replica's memory, or Prometheus (which scrapes every replica's
     * /metrics; needs the Prometheus source).
     */
    readonly scoresFrom: 'memory' | 'prometheus';
  };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const LABEL_NAME = { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' };
const SECONDS = (min: number, max: number, def: number) => ({
  type: 'number',
  minimum: min,
  maximum: max,
  default: def,
});
const FILE = { type: 'string', minLength: 1 };

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    server: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        host: { type: 'string', minLength: 1, default: '0.0.0.0' },
        port: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
        deadlineSeconds: SECONDS(0.1, 60, 8),
        bodyLimitBytes: { type: 'integer', minimum: 1024, maximum: 10_485_760, default: 65_536 },
        rateLimit: {
          type: 'object',
          additionalProperties: false,
          default: {},
          properties: {
            requestsPerSecond: { type: 'number', exclusiveMinimum: 0, default: 500 },
            burst: { type: 'integer', minimum: 1, default: 1000 },
          },
        },
        workers: { type: 'integer', minimum: 1, maximum: 64, default: 1 },
      },
    },
    auth: { type: 'object', additionalProperties: false, default: {}, properties: { tokenFile: FILE } },
    source: {
      type: 'object',
      required: ['type'],
      properties: { type: { enum: ['prometheus', 'scrape'] } },
      allOf: [
        {
          if: { properties: { type: { const: 'prometheus' } } },
          then: {
            required: ['prometheus'],
            additionalProperties: false,
            properties: {
              type: {},
              prometheus: {
                type: 'object',
                additionalProperties: false,
                required: ['url'],
                properties: {
                  url: { type: 'string', pattern: '^https?://[^\\s]+$' },
                  bearerTokenFile: FILE,
                  basicAuth: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['username', 'passwordFile'],
                    properties: { username: { type: 'string', minLength: 1 }, passwordFile: FILE },
                  },
                  headers: {
                    type: 'object',
                    propertyNames: { pattern: '^[A-Za-z0-9-]{1,64}$' },
                    additionalProperties: { type: 'string', pattern: '^[^\\r\\n]*$' },
                  },
                  tls: {
                    type: 'object',
                    additionalProperties: false,
                    properties: { caFile: FILE, insecureSkipVerify: { type: 'boolean', default: false } },
                  },
                  timeoutSeconds: SECONDS(0.1, 60, 5),
                  cacheTtlSeconds: SECONDS(0, 300, 5),
                },
              },
            },
          },
        },
        {
          if: { properties: { type: { const: 'scrape' } } },
          then: {
            required: ['scrape'],
            additionalProperties: false,
            properties: {
              type: {},
              scrape: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  intervalSeconds: SECONDS(1, 300, 15),
                  timeoutSeconds: SECONDS(0.1, 60, 5),
                  retentionSeconds: SECONDS(60, 86_400, 900),
                  maxSeries: { type: 'integer', minimum: 1, maximum: 10_000_000, default: 200_000 },
                  staticTargets: {
                    type: 'array',
                    default: [],
                    items: {
                      type: 'object',
                      additionalProperties: false,
                      required: ['url'],
                      properties: {
                        url: { type: 'string', pattern: '^https?://[^\\s]+$' },
                        labels: { type: 'object', default: {}, additionalProperties: { type: 'string' } },
                      },
                    },
                  },
                  kubernetes: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['namespace', 'port'],
                    properties: {
                      namespace: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' },
                      podSelector: { type: 'string', minLength: 1 },
                      service: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' },
                      port: { type: 'integer', minimum: 1, maximum: 65535 },
                      kubeconfig: FILE,
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
    labels: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        namespace: { ...LABEL_NAME, default: 'namespace' },
        podTemplateHash: { ...LABEL_NAME, default: 'rollouts_pod_template_hash' },
        service: { ...LABEL_NAME, default: 'service' },
        model: { ...LABEL_NAME, default: 'model_name' },
      },
    },
    quality: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        datasetsDir: FILE,
        requestsPerMinute: { type: 'number', exclusiveMinimum: 0, maximum: 100_000, default: 60 },
        concurrency: { type: 'integer', minimum: 1, maximum: 256, default: 4 },
        timeoutSeconds: SECONDS(0.1, 600, 30),
        maxTokens: { type: 'integer', minimum: 1, maximum: 32_768, default: 256 },
        apiKeyFile: FILE,
        servicePort: { type: 'integer', minimum: 1, maximum: 65535, default: 8000 },
        canaryUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
        stableUrl: { type: 'string', pattern: '^https?://[^\\s]+$' },
        scoresFrom: { enum: ['memory', 'prometheus'], default: 'memory' },
      },
    },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
  },
  required: ['source'],
} as const;
