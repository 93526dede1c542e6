// Static checks of the Dockerfile and .dockerignore (hadolint is not packaged for Debian 12, and no base image can
// be pulled on the project's machines, so the image itself is built in CI where one can): multi-stage, base images
// pinned by exact tag, dependencies only through `npm ci`, production dependencies only in the runtime stage, a
// numeric non-root user that matches the chart, no remote ADD, every copied path present and not ignored, and the
// entry point and arguments the chart's Deployment relies on.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findObject, renderChart, REPO_ROOT } from './helm.js';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}
interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** Instructions, with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending === '') start = i + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    const [keyword, ...rest] = full.split(/\s+/);
    out.push({ keyword: keyword!.toUpperCase(), args: rest.join(' '), line: start });
  });
  return out;
}

function stagesOf(all: readonly Instruction[]): { args: Map<string, string>; stages: Stage[] } {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of all) {
    if (ins.keyword === 'FROM') {
      const [image, as, name] = ins.args.split(/\s+/);
      stages.push({ from: image!, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0 && ins.keyword === 'ARG') {
      const [key, value] = ins.args.split('=');
      args.set(key!, value ?? '');
    } else stages.at(-1)?.instructions.push(ins);
  }
  return { args, stages };
}

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const all = instructions(dockerfile);
const { args, stages } = stagesOf(all);
const runtime = stages.at(-1)!;
const build = stages.find((s) => s.name === 'build');
const resolve = (image: string) => image.replace(/\$\{?(\w+)\}?/g, (_m, key: string) => args.get(key) ?? '');
const runsOf = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const one = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const dockerignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

describe('the Dockerfile', () => {
  it('when its stages are listed then there is a named build stage and a final runtime stage', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
  });

  it('when each base image is resolved then it is pinned by an exact version tag or a digest', () => {
    for (const stage of stages) {
      const image = resolve(stage.from);
      expect(image, stage.from).toMatch(
        /^node:20\.\d+\.\d+-bookworm-slim(@sha256:[a-f0-9]{64})?$|@sha256:[a-f0-9]{64}$/,
      );
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it('when dependencies are installed then only `npm ci` is used, never `npm install`', () => {
    const runs = stages.flatMap(runsOf);
    expect(runs.some((r) => /\bnpm (install|i|add)\b/.test(r))).toBe(false);
    expect(runs.filter((r) => /\bnpm ci\b/.test(r))).toHaveLength(2);
  });

  it('when the build stage runs then it installs everything with npm ci and runs npm run build', () => {
    expect(runsOf(build!).some((r) => /^npm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(runsOf(build!)).toContain('npm run build');
  });

  it('when the runtime stage installs then it omits dev dependencies and cleans the npm cache', () => {
    const install = runsOf(runtime).find((r) => /\bnpm ci\b/.test(r));
    expect(install).toContain('--omit=dev');
    expect(install).toContain('npm cache clean --force');
  });

  it('when the runtime stage copies files then it takes dist from the build stage and only named paths', () => {
    const copies = one(runtime, 'COPY').map((c) => c.args);
    expect(copies).toContain('--from=build /src/dist ./dist');
    expect(copies.some((c) => /^\.\s/.test(c))).toBe(false);
    for (const path of ['bin', 'analysis-templates/rendered', 'metrics-provider/quality/datasets']) {
      expect(
        copies.some((c) => c.startsWith(`${path} `)),
        path,
      ).toBe(true);
    }
  });

  it('when a file is added then ADD is not used (no remote URLs, no implicit unpacking)', () => {
    expect(all.filter((i) => i.keyword === 'ADD')).toEqual([]);
  });

  it("when the runtime user is read then it is numeric, non-root and the chart's runAsUser", () => {
    const users = one(runtime, 'USER').map((u) => u.args);
    expect(users).toEqual(['65532:65532']);
    const values = parse(readFileSync(join(REPO_ROOT, 'charts', 'vllm-canary', 'values.yaml'), 'utf8')) as {
      podSecurityContext: { runAsUser: number; runAsGroup: number };
    };
    expect(users[0]).toBe(`${values.podSecurityContext.runAsUser}:${values.podSecurityContext.runAsGroup}`);
    const userIndex = runtime.instructions.findIndex((i) => i.keyword === 'USER');
    expect(runtime.instructions.slice(userIndex).some((i) => i.keyword === 'RUN')).toBe(false);
  });

  it("when the entry point and arguments are read then they are the chart Deployment's", () => {
    expect(JSON.parse(one(runtime, 'ENTRYPOINT')[0]!.args)).toEqual(['node', 'bin/vllm-canary.js']);
    const cmd = JSON.parse(one(runtime, 'CMD')[0]!.args) as string[];
    expect(cmd).toEqual(['serve', '--config', '/etc/vllm-canary/config.yaml']);
    const deployment = findObject(renderChart({ valuesFiles: ['default-values.yaml'] }), 'Deployment');
    const container = (deployment.spec as { template: { spec: { containers: { args: string[] }[] } } })
      .template.spec.containers[0]!;
    expect(container.args).toEqual(cmd);
    expect(one(runtime, 'EXPOSE').map((e) => e.args)).toEqual(['8080']);
    expect(one(runtime, 'ENV').map((e) => e.args)).toContain('NODE_ENV=production');
  });

  it('when each copied path of the build context is looked up then it exists and .dockerignore keeps it', () => {
    const sources = stages
      .flatMap((s) => one(s, 'COPY'))
      .map((c) => c.args.split(/\s+/))
      .filter((parts) => !parts[0]!.startsWith('--from'))
      .flatMap((parts) => parts.slice(0, -1))
      .filter((p) => p !== '.');
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
      const ignoredBy = dockerignore.find(
        (pattern) => source === pattern || source.startsWith(`${pattern}/`),
      );
      expect(ignoredBy, source).toBeUndefined();
    }
  });
});

describe('.dockerignore', () => {
  it.each(['node_modules', '.git', 'test', 'dist', '.tools', 'coverage', '**/*.test.ts'])(
    'when the build context is sent then %s is left out',
    (pattern) => {
      expect(dockerignore).toContain(pattern);
    },
  );

  it('when the build stage copies the context then the sources, lock file and tsconfig files stay in it', () => {
    for (const kept of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'bin',
      'plugin',
      'metrics-provider',
    ]) {
      expect(dockerignore, kept).not.toContain(kept);
    }
  });
});
