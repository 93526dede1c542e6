// `vllm-canary generate` and `vllm-canary lint` as real processes: exit codes, stdout/stderr, flag errors that name
// the flag, spec-file errors that name file and line, and generate's output passing lint.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

function cli(args: readonly string[], input?: string) {
  const result = spawnSync(process.execPath, ['bin/vllm-canary.js', ...args], {
    encoding: 'utf8',
    input,
    timeout: 150_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const BASE = [
  'generate',
  '--name',
  'llama',
  '--namespace',
  'llm',
  '--model',
  'meta-llama/Llama-3.1-8B-Instruct',
  '--image',
  'vllm/vllm-openai:v0.11.0',
];
// Each test starts one or two Node processes; on a busy shared machine one can take tens of seconds.
vi.setConfig({ testTimeout: 300_000 });
const dir = mkdtempSync(join(tmpdir(), 'vllm-canary-generate-'));

describe('vllm-canary generate', () => {
  it('when given flags for gateway-api then it prints the manifests and exits 0', () => {
    const r = cli([
      ...BASE,
      '--router',
      'gateway-api',
      '--gateway',
      'gateway-system/inference',
      '--header-route',
      'X-Canary=always',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kind: Rollout');
    expect(r.stdout).toContain('kind: HTTPRoute');
    expect(r.stdout).toContain('setHeaderRoute:');
  });

  it('when --out is given then one file per object is written and lint passes the folder', () => {
    const out = join(dir, 'nginx');
    const r = cli([
      ...BASE,
      '--router',
      'nginx',
      '--host',
      'llm.example.com',
      '--analysis',
      'background',
      '--template',
      'vllm-latency',
      '--template',
      'vllm-error-ratio',
      '--manual-gate',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`wrote 5 files to ${out}`);
    expect(readdirSync(out).sort()).toEqual([
      'ingress-llama.yaml',
      'podmonitor-llama.yaml',
      'rollout-llama.yaml',
      'service-llama-canary.yaml',
      'service-llama-stable.yaml',
    ]);
    const linted = cli(['lint', out]);
    expect(linted.stdout).toContain('0 errors, 0 warnings in 5 objects');
    expect(linted.code).toBe(0);
  });

  it('when the spec file of an example is given then the committed manifests come out', () => {
    const r = cli(['generate', '--spec', 'rollouts/examples/istio/spec.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(1).join('\n')).toBe(
      readFileSync('rollouts/examples/istio/manifests.yaml', 'utf8').split('\n').slice(1).join('\n'),
    );
  });

  it.each([
    [
      ['--router', 'traefik'],
      "option '-r, --router <router>' argument 'traefik' is invalid. Allowed choices are gateway-api, nginx, istio.",
    ],
    [
      ['--router', 'nginx', '--host', 'h.example.com', '--weights', '30,10'],
      '--weights must rise: 10 follows 30.',
    ],
    [
      ['--router', 'nginx', '--host', 'h.example.com', '--replicas', 'two'],
      '--replicas must be a whole number from 1 to 1000.',
    ],
    [
      ['--router', 'nginx', '--host', 'h.example.com', '--template', 'vllm-latncy'],
      '--template must be one of vllm-latency,',
    ],
    [['--router', 'gateway-api', '--gateway', 'a/b/c'], '--gateway must be name or namespace/name'],
    [['--router', 'istio', '--mirror', '150'], '--mirror must be a whole number from 1 to 100.'],
    [['--router', 'istio', '--header-route', 'X-Canary'], '--header-route must be Header=value'],
  ])('when the flags are %j then it exits non-zero naming the flag', (flags, message) => {
    const r = cli([...BASE, ...flags]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it('when a flag value breaks an invariant then the message names the flag and the field', () => {
    const r = cli([
      ...BASE,
      '--router',
      'nginx',
      '--host',
      'h.example.com',
      '--header-route',
      'X-Canary=v',
      '--header-match',
      'prefix',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      '--header-match: headerRoute.match: NGINX cannot match a header by prefix: use exact (canary-by-header-value) or regex (canary-by-header-pattern)',
    );
  });

  it('when a required value is missing then the message says which flag sets it', () => {
    const r = cli([
      'generate',
      '--router',
      'istio',
      '--name',
      'llama',
      '--namespace',
      'llm',
      '--model',
      'm/x',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('image: is required (set --image or use --spec)');
  });

  it('when the spec file has a mistake then the message names the file, line and field', () => {
    const spec = join(dir, 'spec.yaml');
    writeFileSync(
      spec,
      'name: llama\nnamespace: llm\nmodel: m/x\nimage: i\nrouter: istio\nsteps:\n  weights: [10, 50, 30]\n',
    );
    const r = cli(['generate', '--spec', spec]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${spec}:7:21: steps.weights[2]: weights must rise: 30 follows 50`);
  });
});

describe('vllm-canary lint', () => {
  it('when the examples and rendered templates are linted then it exits 0', () => {
    const r = cli([
      'lint',
      'rollouts/examples/gateway-api/manifests.yaml',
      'rollouts/examples/nginx/manifests.yaml',
      'rollouts/examples/istio/manifests.yaml',
      'analysis-templates/rendered',
    ]);
    expect(r.stdout).toMatch(/^0 errors, 0 warnings in \d+ objects$/m);
    expect(r.code).toBe(0);
  });

  it('when a manifest has mistakes then it names file, line, object, field and fix, and exits 1', () => {
    const broken = readFileSync('rollouts/examples/nginx/manifests.yaml', 'utf8')
      .replace('setWeight: 30', 'setWeight: 5')
      .replace('templateName: vllm-ttft', 'templateName: vllm-ttfx');
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, broken);
    const r = cli(['lint', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error \\[weights\\] Rollout/qwen: spec\\.strategy\\.canary\\.steps\\[\\d+\\]\\.setWeight: weights must rise: 5 follows 10`,
      ),
    );
    expect(r.stdout).toContain(
      'error [template-ref] Rollout/qwen: spec.strategy.canary.analysis.templates[1].templateName: ClusterAnalysisTemplate "vllm-ttfx" is neither in the given files nor in the library. Fix: use one of',
    );
    expect(r.stdout).toMatch(/^2 errors, 0 warnings in 5 objects$/m);
  });

  it('when manifests come on stdin then they are linted, and --format json reports them', () => {
    const r = cli(
      ['lint', '--format', 'json', '-'],
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: http\n',
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      errors: number;
      findings: { file: string; line: number; path: string }[];
    };
    expect(report.errors).toBe(1);
    expect(report.findings[0]).toMatchObject({ file: '<stdin>', line: 7, path: 'spec.ports[0].port' });
  });

  it('when --crds names a missing folder then it fails with a message', () => {
    const r = cli(['lint', '--crds', join(dir, 'no-such-folder'), 'rollouts/examples/nginx/manifests.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('vllm-canary:');
  });

  it('when given no file then commander names the missing argument', () => {
    const r = cli(['lint']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("missing required argument 'files'");
  });
});
