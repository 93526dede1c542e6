// How the harness reaches Docker: which Prometheus image, whether to pull it, and a clear error when there is no
// Docker at all. On machines without a registry, scripts/setup-test-env.sh builds a local image and writes an env file;
// the harness reads that file itself (without overriding variables already set), so one suite runs with plain vitest.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getContainerRuntimeClient, PullPolicy } from 'testcontainers';
import type { ContainerRuntimeClient, ImagePullPolicy } from 'testcontainers';

/** Pinned upstream image, used where Docker can pull. */
export const UPSTREAM_PROMETHEUS_IMAGE = 'prom/prometheus:v2.53.4';

/** Label on every container the harness starts; scripts/teardown-test-env.sh removes what carries it. */
export const TEST_LABEL = { 'vllm-canary.test': 'true' } as const;

const SETUP_HINT =
  'run scripts/setup-test-env.sh (it installs and starts Docker where needed and builds a local Prometheus image), ' +
  'then source the env file it prints, or see docs/testing.md';

/** The env file written by scripts/setup-test-env.sh. */
export function setupEnvFile(): string {
  const state = process.env.VLLM_CANARY_CI_STATE ?? join(process.env.TMPDIR ?? tmpdir(), 'vllm-canary-ci');
  return join(state, 'env');
}

let envLoaded = false;

/** Applies `export NAME=value` lines of the setup env file to variables that are not set yet. Runs once. */
export function loadSetupEnv(): void {
  if (envLoaded) return;
  envLoaded = true;
  const file = setupEnvFile();
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match?.[1]) continue;
    const value = (match[2] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2');
    if (process.env[match[1]] === undefined) process.env[match[1]] = value;
  }
}

export interface ImageChoice {
  readonly image: string;
  readonly pullPolicy: ImagePullPolicy;
}

/** A pull policy that never pulls: the image was built on this machine and no registry has it. */
class NeverPull implements ImagePullPolicy {
  shouldPull(): boolean {
    return false;
  }
}

/** `VLLM_CANARY_PROMETHEUS_IMAGE` (local, never pulled) or the pinned upstream image (pulled when missing). */
export function prometheusImage(): ImageChoice {
  loadSetupEnv();
  const configured = process.env.VLLM_CANARY_PROMETHEUS_IMAGE?.trim();
  if (configured) return { image: configured, pullPolicy: new NeverPull() };
  return { image: UPSTREAM_PROMETHEUS_IMAGE, pullPolicy: PullPolicy.defaultPolicy() };
}

/** The container runtime client, or an error that says how to get one. Never a silent skip. */
export async function dockerClient(): Promise<ContainerRuntimeClient> {
  loadSetupEnv();
  try {
    return await getContainerRuntimeClient();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Docker is not reachable (${reason}): ${SETUP_HINT}`, { cause: error });
  }
}

/** Explains a failed container start, adding the setup hint when the image is the likely cause. */
export function startFailure(image: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`could not start ${image}: ${reason}. If the image cannot be pulled here, ${SETUP_HINT}`, {
    cause: error,
  });
}
