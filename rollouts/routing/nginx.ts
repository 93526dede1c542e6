// NGINX Ingress: the stable Ingress points at the stable Service; the Argo controller creates the canary Ingress
// (`<rollout>-<ingress>-canary`, canary-weight annotation) itself. Header routing is an annotation of that canary
// Ingress (`additionalIngressAnnotations`: canary-by-header + canary-by-header-value or -pattern); setHeaderRoute
// steps are not supported with NGINX, so none are emitted.
import { DNS_SUBDOMAIN, type SpecProblem } from '../problems.js';
import type { HeaderRouteOptions, KubeObject } from '../types.js';
import { headerRouteProblems, type Routing, type Step } from './types.js';

export interface NginxOptions {
  /** Host the Ingress answers. */
  readonly host: string;
  /** @default 'nginx' */
  readonly ingressClassName?: string;
  /** @default '/' */
  readonly path?: string;
  /** Sent to the canary whatever the weight. NGINX matches `exact` or `regex`, not `prefix`. */
  readonly headerRoute?: HeaderRouteOptions;
  /** Annotations of the stable Ingress (TLS, timeouts...). Long generations need a generous proxy-read-timeout. */
  readonly annotations?: Readonly<Record<string, string>>;
}

export function nginx(options: NginxOptions): Routing {
  const header = options.headerRoute;
  const headerAnnotations = (): Record<string, string> => {
    if (header === undefined) return {};
    return (header.match ?? 'exact') === 'regex'
      ? { 'canary-by-header': header.header, 'canary-by-header-pattern': header.value }
      : { 'canary-by-header': header.header, 'canary-by-header-value': header.value };
  };
  return {
    router: 'nginx',
    headerRoute: header,
    needsRootService: false,
    trafficRouting: (ctx) => ({
      nginx: {
        stableIngress: ctx.name,
        ...(header !== undefined ? { additionalIngressAnnotations: headerAnnotations() } : {}),
      },
    }),
    objects: (ctx): KubeObject[] => [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name: ctx.name,
          namespace: ctx.namespace,
          labels: ctx.commonLabels,
          annotations: {
            'nginx.ingress.kubernetes.io/proxy-read-timeout': '600',
            'nginx.ingress.kubernetes.io/proxy-send-timeout': '600',
            ...options.annotations,
          },
        },
        spec: {
          ingressClassName: options.ingressClassName ?? 'nginx',
          rules: [
            {
              host: options.host,
              http: {
                paths: [
                  {
                    path: options.path ?? '/',
                    pathType: 'Prefix',
                    backend: { service: { name: ctx.stableService, port: { number: ctx.port } } },
                  },
                ],
              },
            },
          ],
        },
      },
    ],
    leadingSteps: (): Step[] => [],
    stepsAfterFirstWeight: (): Step[] => [],
    problems: (): SpecProblem[] => {
      const problems = headerRouteProblems(header, 'headerRoute');
      if (header?.match === 'prefix')
        problems.push({
          path: 'headerRoute.match',
          message:
            'NGINX cannot match a header by prefix: use exact (canary-by-header-value) or regex (canary-by-header-pattern)',
        });
      if (!DNS_SUBDOMAIN.test(options.host) || options.host.length > 253)
        problems.push({ path: 'nginx.host', message: `must be a DNS name, got "${options.host}"` });
      if (options.path !== undefined && !options.path.startsWith('/'))
        problems.push({ path: 'nginx.path', message: `must start with "/", got "${options.path}"` });
      return problems;
    },
  };
}
