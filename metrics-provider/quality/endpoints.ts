// Where the sampler sends requests: a base URL per track from configuration, or the Kubernetes Service the analysis
// names (http://<service>.<namespace>.svc:<port>). Names are checked as DNS-1123 labels before they reach a URL.
import { InvalidRequestError } from '../errors.js';
import type { TrackSelector } from '../sources/metric-source.js';
import type { Track } from './types.js';

/** One version to sample: its OpenAI-compatible base URL, model name, and the label its metrics carry. */
export interface Endpoint {
  /** Base URL without /v1 and without a trailing slash. */
  readonly url: string;
  readonly model: string;
  /** The deployment's identity in metrics and the store: the pod-template-hash or Service name. */
  readonly target: string;
  readonly namespace: string;
  readonly apiKey?: string;
}

export interface EndpointsConfig {
  /** Fixed base URL of the canary (e.g. a Service URL); wins over Service names. */
  readonly canary?: string;
  /** Fixed base URL of the stable version. */
  readonly stable?: string;
  /** Port of the vLLM Services when an analysis names Services (by=service). @default 8000 */
  readonly servicePort?: number;
  /** @default "http" */
  readonly scheme?: 'http' | 'https';
  /** Sent as a bearer token; never logged. */
  readonly apiKey?: string;
}

/** A version to sample: the analysis' track selector, optionally with an explicit URL. */
export interface QualityTrack extends TrackSelector {
  readonly url?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** http://<service>.<namespace>.svc:<port>, after checking both names are DNS-1123 labels. */
export function serviceUrl(
  service: string,
  namespace: string,
  port: number,
  scheme: 'http' | 'https' = 'http',
): string {
  const problems = [
    ...(DNS_LABEL.test(service)
      ? []
      : [{ field: 'service', message: `${JSON.stringify(service)} is not a DNS-1123 label` }]),
    ...(DNS_LABEL.test(namespace)
      ? []
      : [{ field: 'namespace', message: `${JSON.stringify(namespace)} is not a DNS-1123 label` }]),
    ...(Number.isInteger(port) && port >= 1 && port <= 65535
      ? []
      : [{ field: 'port', message: `${port} is not a port number` }]),
  ];
  if (problems.length > 0) throw new InvalidRequestError('cannot build a Service URL', problems);
  return `${scheme}://${service}.${namespace}.svc:${port}`;
}

/** A base URL as the sampler uses it: http(s) only, no trailing slash, no trailing /v1. */
export function baseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidRequestError(`${JSON.stringify(url)} is not a URL`, [
      { field: 'url', message: 'is not a URL' },
    ]);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidRequestError(`${url} is not an http(s) URL`, [
      { field: 'url', message: 'must be http or https' },
    ]);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}`;
}

export function resolveEndpoint(track: QualityTrack, role: Track, config: EndpointsConfig = {}): Endpoint {
  const configured = track.url ?? config[role];
  let url: string;
  if (configured !== undefined) url = baseUrl(configured);
  else if (track.by === 'service') {
    url = serviceUrl(track.value, track.namespace, config.servicePort ?? 8000, config.scheme ?? 'http');
  } else {
    throw new InvalidRequestError(`quality sampling cannot reach the ${role} by pod-template-hash`, [
      {
        field: 'by',
        message: `no URL is configured for the ${role}; name the Services (by=service) or configure quality endpoints`,
        allowed: 'service',
      },
    ]);
  }
  return {
    url,
    model: track.model,
    target: track.value,
    namespace: track.namespace,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  };
}
