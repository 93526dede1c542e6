// A real Prometheus in a container for integration tests: host networking so it scrapes servers on 127.0.0.1,
// a generated scrape config, optional backfilled history, and a typed query client.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenericContainer } from 'testcontainers';
import type { StartedTestContainer } from 'testcontainers';
import { dockerClient, prometheusImage, startFailure, TEST_LABEL } from './docker.js';
import { PrometheusApi } from './prometheus-api.js';
import type { VectorSample } from './prometheus-api.js';
import { scrapeConfig } from './scrape-config.js';
import type { ScrapeTarget } from './scrape-config.js';
import { freePort, waitFor } from './wait.js';
import { ExitsSuccessfully, HttpOnHostNetwork } from './wait-strategies.js';

export interface StartPrometheusOptions {
  /** Endpoints to scrape. May be empty (a Prometheus that only holds backfilled history). */
  readonly targets?: readonly ScrapeTarget[];
  /** Scrape (and rule evaluation) interval. @default '1s' */
  readonly scrapeInterval?: string;
  /** OpenMetrics text (see `writeOpenMetrics`) loaded with promtool before Prometheus starts. */
  readonly backfill?: string;
  /** More Prometheus flags, e.g. `['--query.lookback-delta=1m']`. */
  readonly extraArgs?: readonly string[];
  /** How long to wait for `/-/ready`. @default 60_000 */
  readonly startupTimeoutMs?: number;
}

export interface RunningPrometheus extends PrometheusApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly containerId: string;
  /** Resolves once every configured target has been scraped successfully; returns their count. */
  waitForTargetsUp(timeoutMs?: number): Promise<number>;
  /** Polls an instant query until it returns samples (that satisfy `predicate`), and returns them. */
  waitForSamples(
    promql: string,
    predicate?: (samples: readonly VectorSample[]) => boolean,
    timeoutMs?: number,
  ): Promise<readonly VectorSample[]>;
  /** Freezes the Prometheus process (docker pause): it stops scraping and answering, as in a hang. */
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** Stops and removes the container and its data folder. Safe to call more than once. */
  stop(): Promise<void>;
}

const DATA_DIR = '/prometheus';
const CONFIG_FILE = '/etc/prometheus/vllm-canary.yml';
const BACKFILL_DIR = '/backfill';

/** Run the containers as the calling user, so the bind-mounted data folder stays ours to delete. */
function hostUser(): string | undefined {
  return process.getuid && process.getgid ? `${process.getuid()}:${process.getgid()}` : undefined;
}

function withUser(container: GenericContainer): GenericContainer {
  const user = hostUser();
  return user ? container.withUser(user) : container;
}

async function backfill(
  image: string,
  pullPolicy: ReturnType<typeof prometheusImage>['pullPolicy'],
  workDir: string,
  dataDir: string,
  openMetrics: string,
): Promise<void> {
  const inputDir = join(workDir, 'backfill');
  await mkdir(inputDir);
  await writeFile(join(inputDir, 'history.om'), openMetrics);
  const promtool = withUser(
    new GenericContainer(image)
      .withPullPolicy(pullPolicy)
      .withEntrypoint(['/bin/promtool'])
      .withCommand(['tsdb', 'create-blocks-from', 'openmetrics', `${BACKFILL_DIR}/history.om`, DATA_DIR])
      .withBindMounts([
        { source: inputDir, target: BACKFILL_DIR, mode: 'ro' },
        { source: dataDir, target: DATA_DIR, mode: 'rw' },
      ])
      .withNetworkMode('none')
      .withLabels(TEST_LABEL)
      .withWaitStrategy(new ExitsSuccessfully())
      .withStartupTimeout(60_000),
  );
  try {
    const finished = await promtool.start();
    await finished.stop({ timeout: 0 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`promtool could not backfill the OpenMetrics text: ${reason}`, { cause: error });
  }
}

/** Starts Prometheus and waits until it is ready. Throws (never skips) when Docker is not reachable. */
export async function startPrometheus(options: StartPrometheusOptions = {}): Promise<RunningPrometheus> {
  const { targets = [], scrapeInterval = '1s', extraArgs = [], startupTimeoutMs = 60_000 } = options;
  const client = await dockerClient();
  const { image, pullPolicy } = prometheusImage();
  const config = scrapeConfig(targets, scrapeInterval);
  const workDir = await mkdtemp(join(process.env.TMPDIR ?? tmpdir(), 'vllm-canary-prometheus-'));
  const dataDir = join(workDir, 'data');
  await mkdir(dataDir);

  let container: StartedTestContainer;
  let port = 0;
  try {
    if (options.backfill !== undefined) await backfill(image, pullPolicy, workDir, dataDir, options.backfill);
    port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    container = await withUser(
      new GenericContainer(image)
        .withPullPolicy(pullPolicy)
        .withNetworkMode('host')
        .withCopyContentToContainer([{ content: config, target: CONFIG_FILE, mode: 0o644 }])
        .withBindMounts([{ source: dataDir, target: DATA_DIR, mode: 'rw' }])
        .withCommand([
          `--config.file=${CONFIG_FILE}`,
          `--storage.tsdb.path=${DATA_DIR}`,
          `--web.listen-address=127.0.0.1:${port}`,
          ...extraArgs,
        ])
        .withLabels(TEST_LABEL)
        .withWaitStrategy(new HttpOnHostNetwork(`${url}/-/ready`))
        .withStartupTimeout(startupTimeoutMs),
    ).start();
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    if (error instanceof Error && error.message.startsWith('promtool')) throw error;
    throw startFailure(image, error);
  }

  const url = `http://127.0.0.1:${port}`;
  const api = new PrometheusApi(url);
  const docker = client.container.getById(container.getId());
  let paused = false;
  let stopping: Promise<void> | undefined;

  const running: RunningPrometheus = Object.assign(api, {
    url,
    port,
    containerId: container.getId(),
    async waitForTargetsUp(timeoutMs = 30_000): Promise<number> {
      return waitFor(
        async () => {
          const health = await api.targets();
          return health.length === targets.length && health.every((t) => t.health === 'up') && health.length;
        },
        { timeoutMs, description: `${targets.length} scrape targets up at ${url}` },
      ).catch(async (error: unknown) => {
        const health = await api.targets().catch(() => []);
        const detail = health.map((t) => `${t.scrapeUrl}: ${t.health} ${t.lastError}`).join('; ');
        throw new Error(`${(error as Error).message} (${detail || 'no targets'})`, { cause: error });
      });
    },
    async waitForSamples(
      promql: string,
      predicate: (samples: readonly VectorSample[]) => boolean = () => true,
      timeoutMs = 30_000,
    ): Promise<readonly VectorSample[]> {
      return waitFor(
        async () => {
          const samples = await api.queryVector(promql);
          return samples.length > 0 && predicate(samples) && samples;
        },
        { timeoutMs, description: `samples of ${promql}` },
      );
    },
    async pause(): Promise<void> {
      await docker.pause();
      paused = true;
    },
    async unpause(): Promise<void> {
      await docker.unpause();
      paused = false;
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        if (paused) await docker.unpause().catch(() => undefined);
        await container.stop({ timeout: 5_000 });
        await rm(workDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  });
  return running;
}
