// Render options: defaults and their validation (precise messages, checked before anything is rendered).
import type { RenderOptions, ResolvedRenderOptions } from './types.js';

export const DEFAULT_PROVIDER_URL = 'http://vllm-canary.argo-rollouts.svc:8080';
export const DEFAULT_PROMETHEUS_URL = 'http://prometheus-operated.monitoring.svc:9090';
export const DEFAULT_TOKEN_SECRET = 'vllm-canary-api-token';
export const DEFAULT_TOKEN_KEY = 'token';

const URL_PATTERN = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

export class RenderOptionsError extends Error {
  override readonly name = 'RenderOptionsError';
}

export function resolveRenderOptions(options: RenderOptions = {}): ResolvedRenderOptions {
  const providerUrl = trimSlash(options.providerUrl ?? DEFAULT_PROVIDER_URL);
  const prometheusUrl = trimSlash(options.prometheusUrl ?? DEFAULT_PROMETHEUS_URL);
  if (!URL_PATTERN.test(providerUrl) && !hasHelmExpression(providerUrl))
    throw new RenderOptionsError(
      `providerUrl must be an http:// or https:// base URL without query or fragment, got "${providerUrl}"`,
    );
  if (!URL_PATTERN.test(prometheusUrl) && !hasHelmExpression(prometheusUrl))
    throw new RenderOptionsError(
      `prometheusUrl must be an http:// or https:// base URL without query or fragment, got "${prometheusUrl}"`,
    );
  const timeoutSeconds = options.timeoutSeconds ?? 10;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 300)
    throw new RenderOptionsError(
      `timeoutSeconds must be a whole number from 1 to 300, got ${timeoutSeconds}`,
    );
  if (options.namespace !== undefined && !DNS_SUBDOMAIN.test(options.namespace))
    throw new RenderOptionsError(`namespace must be a DNS-1123 name, got "${options.namespace}"`);
  const auth = options.auth ?? { mode: 'none' as const };
  const resolvedAuth =
    auth.mode === 'bearer'
      ? {
          mode: 'bearer' as const,
          secretName: auth.secretName ?? DEFAULT_TOKEN_SECRET,
          secretKey: auth.secretKey ?? DEFAULT_TOKEN_KEY,
        }
      : { mode: 'none' as const };
  if (resolvedAuth.mode === 'bearer') {
    if (!DNS_SUBDOMAIN.test(resolvedAuth.secretName))
      throw new RenderOptionsError(
        `auth.secretName must be a DNS-1123 name, got "${resolvedAuth.secretName}"`,
      );
    if (!SECRET_KEY.test(resolvedAuth.secretKey))
      throw new RenderOptionsError(
        `auth.secretKey may hold letters, digits, '-', '_' and '.', got "${resolvedAuth.secretKey}"`,
      );
  }
  return {
    providerUrl,
    prometheusUrl,
    auth: resolvedAuth,
    clusterScope: options.clusterScope ?? true,
    namespace: options.namespace,
    labels: options.labels ?? {},
    timeoutSeconds,
    escapeArgsForHelm: options.escapeArgsForHelm ?? false,
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A Helm chart may pass `{{ include "..." . }}` as the URL; it is resolved by Helm, not checked here. */
function hasHelmExpression(value: string): boolean {
  return /\{\{[^}]*\}\}/.test(value) && !/\{\{\s*args\./.test(value);
}
