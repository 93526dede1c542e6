// The build the image runs: `npm run build` (tsc -p tsconfig.build.json) compiles the product without its tests,
// and the compiled command line starts, both as `node dist/plugin/main.js` and through bin/vllm-canary.js in the
// image's layout (package.json, bin/, dist/, no TypeScript sources), where bin/ runs dist/.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../unit/chart/helm.js';

// Under the repository, so Node finds node_modules by walking up, as /app/node_modules in the image.
const WORK = join(REPO_ROOT, '.tools', `build-test-${process.pid}`);
const DIST = join(WORK, 'dist');
const IMAGE = join(WORK, 'image');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function run(cwd: string, args: readonly string[]): { code: number; output: string } {
  const result = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}

beforeAll(() => {
  const scripts = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  expect(scripts.build).toBe('tsc -p tsconfig.build.json');
  // `npm run build`, into a folder of this test's own so it never races another build of dist/.
  execFileSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'tsc'),
    ['-p', 'tsconfig.build.json', '--outDir', DIST],
    {
      cwd: REPO_ROOT,
      stdio: 'pipe',
    },
  );
  mkdirSync(IMAGE, { recursive: true });
  cpSync(join(REPO_ROOT, 'package.json'), join(IMAGE, 'package.json'));
  cpSync(join(REPO_ROOT, 'bin'), join(IMAGE, 'bin'), { recursive: true });
  cpSync(DIST, join(IMAGE, 'dist'), { recursive: true });
}, 300_000);

afterAll(() => {
  rmSync(WORK, { recursive: true, force: true });
});

describe('npm run build', () => {
  it('when the output is listed then it holds the product and no test', () => {
    const files = filesUnder(DIST).map((f) => relative(DIST, f));
    expect(files).toContain(join('plugin', 'main.js'));
    expect(files).toContain(join('metrics-provider', 'server.js'));
    expect(files.filter((f) => f.startsWith(`test${'/'}`) || /\.test\.js$/.test(f))).toEqual([]);
    expect(existsSync(join(DIST, 'test'))).toBe(false);
  });

  it('when node dist/plugin/main.js --help runs then it lists the commands and exits 0', () => {
    const { code, output } = run(WORK, ['dist/plugin/main.js', '--help']);
    expect(code, output).toBe(0);
    expect(output).toMatch(/Usage: vllm-canary/);
    expect(output).toMatch(/serve \[options\]/);
  });

  it("when the image's entry point runs without TypeScript sources then bin/ runs dist/ (serve --help)", () => {
    expect(existsSync(join(IMAGE, 'plugin'))).toBe(false);
    const { code, output } = run(IMAGE, ['bin/vllm-canary.js', 'serve', '--help']);
    expect(code, output).toBe(0);
    expect(output).toContain('--config <file>');
  });
});
