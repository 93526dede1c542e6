// Kubernetes target discovery with @kubernetes/client-node: list, then watch (ListWatch informers), so pods that
// start join the scrape and pods that go leave it. Two modes, like Prometheus' `pod` and `endpointslice` roles:
// - pods of a namespace matching a label selector: running, Ready, not being deleted, with an IP;
// - the ready endpoints of a Service's EndpointSlices (discovery.k8s.io/v1, label kubernetes.io/service-name),
//   with the pods of the namespace watched as well so each endpoint carries its pod's labels.
// A pod label such as `rollouts-pod-template-hash` becomes a target label (`rollouts_pod_template_hash`). A list or
// watch that fails is retried with backoff; until then the last known targets stay and health() says why.
// @kubernetes/client-node is imported when discovery starts, not with this module: it adds about 70 MB of RSS and
// most of the start-up time, which a provider scraping static targets should not pay.
import { accessSync, constants } from 'node:fs';
import type {
  KubeConfig,
  KubernetesObject,
  ListWatch,
  V1EndpointSlice,
  V1Pod,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Timers } from './scraper.js';
import type { ScrapeTarget, TargetDiscovery } from './targets.js';
import { normalizeTarget } from './targets.js';

export interface KubernetesDiscoveryOptions {
  readonly namespace: string;
  /** Pods by label selector (`app=vllm`); give this or `service`. */
  readonly podSelector?: string;
  /** A Service whose EndpointSlices list the targets; give this or `podSelector`. */
  readonly service?: string;
  /** The metrics port on each pod. */
  readonly port: number;
  /** @default "/metrics" */
  readonly path?: string;
  /** @default "http" */
  readonly scheme?: 'http' | 'https';
  /** A kubeconfig file; without it the loader's default (in-cluster service account, then ~/.kube/config). */
  readonly kubeconfig?: string;
  /** Labels added to every target of this discovery. */
  readonly extraLabels?: Readonly<Record<string, string>>;
}

/** Target label names the discovery writes (the source's configured track labels). */
export interface DiscoveryLabelNames {
  readonly namespace: string;
  readonly podTemplateHash: string;
  readonly service: string;
}

export interface KubernetesDiscoveryDeps {
  readonly logger: Logger;
  readonly timers: Timers;
  /** A ready KubeConfig (tests); otherwise loaded from `kubeconfig` or the default locations. */
  readonly kubeConfig?: KubeConfig;
}

const POD_TEMPLATE_HASH = 'rollouts-pod-template-hash';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

export class KubernetesDiscovery implements TargetDiscovery {
  readonly description: string;
  private readonly informers: { name: string; lw: ListWatch<KubernetesObject> }[] = [];
  /** Set by start(), once the client library is loaded. */
  private pods?: ListWatch<V1Pod>;
  private slices?: ListWatch<V1EndpointSlice>;
  private readonly errors = new Map<string, string>();
  private readonly retries = new Map<string, unknown>();
  private readonly backoff = new Map<string, number>();
  private onChange: (targets: readonly ScrapeTarget[]) => void = () => undefined;
  private stopped = false;
  /** Informer starts under way (list, then opening the watch). */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly options: KubernetesDiscoveryOptions,
    private readonly names: DiscoveryLabelNames,
    private readonly deps: KubernetesDiscoveryDeps,
  ) {
    if ((options.podSelector === undefined) === (options.service === undefined)) {
      throw new Error('kubernetes discovery needs exactly one of podSelector and service');
    }
    // A kubeconfig that is missing or unreadable fails the source at once, as it did when it was loaded here.
    if (deps.kubeConfig === undefined && options.kubeconfig !== undefined) {
      accessSync(options.kubeconfig, constants.R_OK);
    }
    this.description =
      options.service === undefined
        ? `pods ${options.podSelector} in ${options.namespace}`
        : `endpoints of service ${options.service} in ${options.namespace}`;
  }

  async start(onChange: (targets: readonly ScrapeTarget[]) => void): Promise<void> {
    this.onChange = onChange;
    try {
      await this.createInformers();
    } catch (error) {
      this.errors.set('kubeconfig', error instanceof Error ? error.message : String(error));
      throw error;
    }
    if (this.stopped) return;
    for (const { name, lw } of this.informers) {
      for (const verb of ['add', 'update', 'delete'] as const) lw.on(verb, () => this.publish());
      lw.on('error', (error?: unknown) => this.failed(name, lw, error));
    }
    await Promise.all(this.informers.map(({ name, lw }) => this.run(name, lw)));
    this.publish();
  }

  health(): { ok: boolean; detail: string } {
    if (this.errors.size === 0) return { ok: true, detail: `watching ${this.description}` };
    const why = [...this.errors].map(([name, message]) => `${name}: ${message}`).join('; ');
    return { ok: false, detail: `${this.description}: ${why}` };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.retries.values()) this.deps.timers.clearTimeout(handle);
    this.retries.clear();
    await Promise.all(this.informers.map(({ lw }) => lw.stop()));
    // An informer stopped while listing still opens its watch when the list returns; run() stops it again then.
    await Promise.allSettled([...this.inFlight]);
  }

  /** The current targets from the informers' caches (none before start()). */
  targets(): ScrapeTarget[] {
    if (this.pods === undefined) return [];
    return this.slices === undefined
      ? this.podTargets(this.pods)
      : this.endpointTargets(this.pods, this.slices);
  }

  /** Loads the client library and the kubeconfig, and builds the informers: pods, and a Service's EndpointSlices. */
  private async createInformers(): Promise<void> {
    const k8s = await import('@kubernetes/client-node');
    const kc = this.deps.kubeConfig ?? loadKubeConfig(new k8s.KubeConfig(), this.options.kubeconfig);
    const watch = new k8s.Watch(kc);
    const { namespace: ns, podSelector, service } = this.options;
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const pods = new k8s.ListWatch<V1Pod>(
      `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
      watch,
      () => core.listNamespacedPod({ namespace: ns, labelSelector: podSelector }),
      false,
      podSelector,
    );
    this.informers.push({ name: 'pods', lw: pods as ListWatch<KubernetesObject> });
    this.pods = pods;
    if (service !== undefined) {
      const discovery = kc.makeApiClient(k8s.DiscoveryV1Api);
      const bySvc = `${SERVICE_NAME_LABEL}=${service}`;
      this.slices = new k8s.ListWatch<V1EndpointSlice>(
        `/apis/discovery.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/endpointslices`,
        watch,
        () => discovery.listNamespacedEndpointSlice({ namespace: ns, labelSelector: bySvc }),
        false,
        bySvc,
      );
      this.informers.push({ name: 'endpointslices', lw: this.slices as ListWatch<KubernetesObject> });
    }
  }

  private async run(name: string, lw: ListWatch<KubernetesObject>): Promise<void> {
    if (this.stopped) return;
    this.errors.delete(name);
    const started = lw.start();
    this.inFlight.add(started);
    try {
      await started;
    } finally {
      this.inFlight.delete(started);
    }
    if (this.stopped) {
      await lw.stop(); // the watch opened after stop() was called
      return;
    }
    if (!this.errors.has(name)) this.backoff.delete(name); // listed and watching: the next failure waits 1 s again
  }

  /** A list or watch failed (the informer has stopped): remember why and start again after a growing wait. */
  private failed(name: string, lw: ListWatch<KubernetesObject>, error: unknown): void {
    if (this.stopped) return;
    const message = error instanceof Error ? error.message : String(error);
    this.errors.set(name, message);
    this.deps.logger.warn({ resource: name, error: message }, 'kubernetes discovery: list or watch failed');
    if (this.retries.has(name)) return;
    const wait = this.backoff.get(name) ?? MIN_BACKOFF_MS;
    this.backoff.set(name, Math.min(wait * 2, MAX_BACKOFF_MS));
    const handle = this.deps.timers.setTimeout(() => {
      this.retries.delete(name);
      void this.run(name, lw);
    }, wait);
    this.retries.set(name, handle);
  }

  private publish(): void {
    if (!this.stopped) this.onChange(this.targets());
  }

  private podTargets(pods: ListWatch<V1Pod>): ScrapeTarget[] {
    return pods
      .list(this.options.namespace)
      .filter(isReadyPod)
      .map((pod) => this.target(pod.status!.podIP!, pod));
  }

  private endpointTargets(pods: ListWatch<V1Pod>, slices: ListWatch<V1EndpointSlice>): ScrapeTarget[] {
    const out: ScrapeTarget[] = [];
    for (const slice of slices.list(this.options.namespace)) {
      for (const endpoint of slice.endpoints ?? []) {
        if (endpoint.conditions?.ready === false) continue; // unset means ready, per the API
        const ref = endpoint.targetRef;
        const pod =
          ref?.kind === 'Pod' && ref.name !== undefined
            ? pods.get(ref.name, ref.namespace ?? this.options.namespace)
            : undefined;
        for (const address of endpoint.addresses) {
          out.push(this.target(address, pod, ref?.kind === 'Pod' ? ref.name : undefined));
        }
      }
    }
    return out;
  }

  private target(ip: string, pod: V1Pod | undefined, podName = pod?.metadata?.name): ScrapeTarget {
    const { port, path = '/metrics', scheme = 'http', namespace, service, extraLabels = {} } = this.options;
    const host = ip.includes(':') ? `[${ip}]` : ip;
    const labels: Record<string, string> = { ...extraLabels, [this.names.namespace]: namespace };
    if (podName !== undefined) labels.pod = podName;
    const hash = pod?.metadata?.labels?.[POD_TEMPLATE_HASH];
    if (hash !== undefined) labels[this.names.podTemplateHash] = hash;
    if (service !== undefined) labels[this.names.service] = service;
    return normalizeTarget({ url: `${scheme}://${host}:${port}${path}`, labels });
  }
}

/** Running, Ready, not terminating, and with an IP to scrape. */
export function isReadyPod(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp != null) return false;
  if (pod.status?.phase !== 'Running' || !pod.status.podIP) return false;
  return (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function loadKubeConfig(kc: KubeConfig, file: string | undefined): KubeConfig {
  if (file === undefined) kc.loadFromDefault();
  else kc.loadFromFile(file);
  return kc;
}
