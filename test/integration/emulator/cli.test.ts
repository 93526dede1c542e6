import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../../bin/vllm-canary.js', import.meta.url));

function runCli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('vllm-canary emulator (command line)', () => {
  it('when --help is asked then it describes the command with examples and exits 0', () => {
    const { status, stdout } = runCli(['emulator', '--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('Usage: vllm-canary emulator [options]');
    expect(stdout).toContain('--time-scale <x>');
    expect(stdout).toContain('Examples:');
  });

  it.each([
    {
      when: 'the port is not a number',
      args: ['--model', 'm', '--port', 'http'],
      message: '--port must be an integer from 0 to 65535',
    },
    {
      when: 'the port is too large',
      args: ['--model', 'm', '--port', '70000'],
      message: '--port must be an integer from 0 to 65535',
    },
    {
      when: 'the generation is unknown',
      args: ['--model', 'm', '--generation', 'v2'],
      message:
        "option '--generation <generation>' argument 'v2' is invalid. Allowed choices are current, legacy.",
    },
    {
      when: 'the time scale is 0',
      args: ['--model', 'm', '--time-scale', '0'],
      message: '--time-scale must be a number > 0',
    },
    {
      when: 'the seed is fractional',
      args: ['--model', 'm', '--seed', '1.5'],
      message: '--seed must be an integer',
    },
    {
      when: 'the profile file is missing',
      args: ['--model', 'm', '--profile', 'no-such-profile.yaml'],
      message: '--profile must name an existing file',
    },
    { when: 'the model is missing', args: [], message: "required option '--model <name>' not specified" },
  ])('when $when then it exits non-zero naming the flag', ({ args, message }) => {
    const { status, stderr } = runCli(['emulator', ...args]);
    expect(status).not.toBe(0);
    expect(stderr).toContain(message);
  });

  it('when started on port 0 then it prints its URL, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, 'emulator', '--port', '0', '--model', 'cli-model', '--time-scale', '100'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const lines = createInterface({ input: child.stdout });
      const [url] = (await once(lines, 'line')) as [string];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] };
      expect(models.data.map((model) => model.id)).toEqual(['cli-model']);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
