import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  configFrom,
  loadConfig,
  overridesFromEnv,
} from '../../../metrics-provider/config/index.js';

function file(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'vllm-canary-config-')), 'provider.yaml');
  writeFileSync(path, text);
  return path;
}

function errorOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('provider configuration', () => {
  it('when only a Prometheus URL is given then every default is filled', () => {
    const config = loadConfig(undefined, { prometheusUrl: 'http://prometheus:9090' });
    expect(config.server).toEqual({
      host: '0.0.0.0',
      port: 8080,
      deadlineSeconds: 8,
      bodyLimitBytes: 65536,
      rateLimit: { requestsPerSecond: 500, burst: 1000 },
      workers: 1,
    });
    expect(config.source).toEqual({
      type: 'prometheus',
      prometheus: { url: 'http://prometheus:9090', timeoutSeconds: 5, cacheTtlSeconds: 5 },
    });
    expect(config.labels.podTemplateHash).toBe('rollouts_pod_template_hash');
  });

  it('when the file, the environment and flags all set the port then flags win over env over file', () => {
    const path = file(
      'source: {type: prometheus, prometheus: {url: "http://p:9090"}}\nserver: {port: 1000}\n',
    );
    expect(loadConfig(path).server.port).toBe(1000);
    expect(loadConfig(path, overridesFromEnv({ VLLM_CANARY_PORT: '2000' })).server.port).toBe(2000);
    expect(loadConfig(path, overridesFromEnv({ VLLM_CANARY_PORT: '2000' }), { port: 3000 }).server.port).toBe(
      3000,
    );
  });

  it('when workers come from the file, VLLM_CANARY_WORKERS and --workers then flags win over env over file', () => {
    const path = file(
      'source: {type: prometheus, prometheus: {url: "http://p:9090"}}\nserver: {workers: 2}\n',
    );
    expect(loadConfig(path).server.workers).toBe(2);
    expect(loadConfig(path, overridesFromEnv({ VLLM_CANARY_WORKERS: '4' })).server.workers).toBe(4);
    expect(
      loadConfig(path, overridesFromEnv({ VLLM_CANARY_WORKERS: '4' }), { workers: 3 }).server.workers,
    ).toBe(3);
  });

  it('when workers is above 1 with the scrape source then the error names the file, line and why', () => {
    const path = file('source:\n  type: scrape\n  scrape: {}\nserver:\n  workers: 2\n');
    expect(errorOf(() => loadConfig(path))).toEqual([
      `${path}:5: server.workers must be 1 with source.type: scrape (the scrape source keeps its history in one process; use the Prometheus source to run several workers)`,
    ]);
    expect(loadConfig(path, { workers: 1 }).server.workers).toBe(1);
  });

  it.each([0, 65, 1.5])('when workers is %s then it is refused with the allowed range', (workers) => {
    const problems = errorOf(() =>
      configFrom({
        source: { type: 'prometheus', prometheus: { url: 'http://p:9090' } },
        server: { workers },
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^configuration: server\.workers must be (>= 1|<= 64|integer)$/);
  });

  it('when the file has a tenant header then it is kept for Prometheus', () => {
    const path = file(
      'source:\n  type: prometheus\n  prometheus:\n    url: https://mimir/prometheus\n    headers:\n      X-Scope-OrgID: team-a\n',
    );
    const config = loadConfig(path);
    expect(config.source.type === 'prometheus' && config.source.prometheus.headers).toEqual({
      'X-Scope-OrgID': 'team-a',
    });
  });

  it.each([
    [
      'no source',
      'server: {port: 80}\n',
      'configuration: source is required'.replace('configuration', 'FILE'),
    ],
    [
      'an unknown field on line 3',
      'source:\n  type: prometheus\n  promethues: {url: "http://p"}\n',
      'FILE:3: source.promethues is not a known field',
    ],
    [
      'a port of the wrong type on line 2',
      'source: {type: prometheus, prometheus: {url: "http://p:9090"}}\nserver: {port: "eighty"}\n',
      'FILE:2: server.port must be integer',
    ],
    [
      'an unknown source type',
      'source: {type: influx}\n',
      'FILE:1: source.type must be one of prometheus, scrape',
    ],
    [
      'a URL without scheme',
      'source: {type: prometheus, prometheus: {url: "prometheus:9090"}}\n',
      'FILE:1: source.prometheus.url must match pattern',
    ],
    ['broken YAML', 'source: [\n', 'FILE:2:'],
  ])('when the file has %s then the error names file, line and field', (_name, text, expected) => {
    const path = file(text);
    const problems = errorOf(() => loadConfig(path)).map((p) => p.replace(path, 'FILE'));
    expect(problems.some((p) => p.startsWith(expected))).toBe(true);
  });

  it('when the file does not exist then the error says so', () => {
    expect(errorOf(() => loadConfig('/nonexistent/provider.yaml'))).toEqual([
      '/nonexistent/provider.yaml: cannot be read (ENOENT)',
    ]);
  });

  it('when a configuration is built in code then it is validated and filled like a file', () => {
    const config = configFrom({
      source: { type: 'scrape', scrape: { staticTargets: [{ url: 'http://127.0.0.1:8000/metrics' }] } },
    });
    expect(config.source.type === 'scrape' && config.source.scrape.intervalSeconds).toBe(15);
    expect(config.server.deadlineSeconds).toBe(8);
    expect(errorOf(() => configFrom({ source: { type: 'scrape', scrape: {} }, extra: 1 }))).toEqual([
      'configuration: extra is not a known field',
    ]);
  });
});
