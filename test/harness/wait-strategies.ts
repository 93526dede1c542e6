// Wait strategies for containers on the host network. testcontainers' own HTTP strategy looks up a mapped port,
// and a container with host networking has none, so these poll the address on this machine directly.
import type { WaitStrategy } from 'testcontainers';

type Container = Parameters<WaitStrategy['waitUntilReady']>[0];

/** Shared timeout bookkeeping of the WaitStrategy interface. */
abstract class TimedStrategy implements WaitStrategy {
  private timeoutMs = 60_000;
  private timeoutSet = false;

  abstract waitUntilReady(container: Container): Promise<void>;

  withStartupTimeout(startupTimeoutMs: number): this {
    this.timeoutMs = startupTimeoutMs;
    this.timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }

  getStartupTimeout(): number {
    return this.timeoutMs;
  }
}

async function containerLogs(container: Container): Promise<string> {
  try {
    const logs = await container.logs({ stdout: true, stderr: true, tail: 30 });
    // Docker multiplexes stdout and stderr with an 8-byte header per frame; drop the headers.
    return stripFrameHeaders(logs).trim();
  } catch {
    return '(no logs)';
  }
}

function stripFrameHeaders(raw: Buffer): string {
  const parts: string[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length && (raw[offset] === 1 || raw[offset] === 2) && raw[offset + 1] === 0) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size).toString('utf8'));
    offset += 8 + size;
  }
  return offset === 0 ? raw.toString('utf8') : parts.join('');
}

/** Ready when `url` answers 200; fails early, with the container's last log lines, if the container exits. */
export class HttpOnHostNetwork extends TimedStrategy {
  constructor(private readonly url: string) {
    super();
  }

  async waitUntilReady(container: Container): Promise<void> {
    const deadline = Date.now() + this.getStartupTimeout();
    for (;;) {
      try {
        const response = await fetch(this.url, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      const state = (await container.inspect()).State;
      if (!state.Running) {
        throw new Error(
          `container exited (code ${state.ExitCode}) before ${this.url} answered:\n${await containerLogs(container)}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(`${this.url} did not answer 200 within ${this.getStartupTimeout()} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** For one-off containers: ready once the container has exited with status 0; otherwise fails with its logs. */
export class ExitsSuccessfully extends TimedStrategy {
  async waitUntilReady(container: Container): Promise<void> {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`container did not finish within ${this.getStartupTimeout()} ms`)),
        this.getStartupTimeout(),
      ).unref(),
    );
    const { StatusCode } = (await Promise.race([container.wait(), timeout])) as { StatusCode: number };
    if (StatusCode !== 0) {
      throw new Error(`exited with status ${StatusCode}:\n${await containerLogs(container)}`);
    }
  }
}
