// Istio: a VirtualService whose named HTTP route carries the stable and canary destinations (weights rewritten by
// Argo). Subset level: one host (the root Service) and a DestinationRule whose subsets Argo labels with each track's
// pod-template-hash. Host level: the canary and stable Services as hosts. Header routes and traffic mirroring are
// managed routes Argo adds above the primary route (`managedRoutes` + setHeaderRoute / setMirrorRoute steps).
import { isDnsLabel, type SpecProblem } from '../problems.js';
import type { HeaderRouteOptions, KubeObject } from '../types.js';
import {
  HEADER_ROUTE_NAME,
  MIRROR_ROUTE_NAME,
  headerRouteProblems,
  setHeaderRouteStep,
  type Routing,
  type RoutingContext,
  type Step,
} from './types.js';

export const PRIMARY_ROUTE = 'primary';

export interface IstioMirrorOptions {
  /** Share of requests copied to the canary before it gets any real traffic (1-100). */
  readonly percentage: number;
  /** How long to mirror before the weight ramp starts (Go duration). @default '5m' */
  readonly duration?: string;
}

export interface IstioOptions {
  /**
   * `subset`: one Service and a DestinationRule with stable/canary subsets; `host`: the canary and stable Services.
   * @default 'subset'
   */
  readonly mode?: 'subset' | 'host';
  /** Gateways the VirtualService binds (`namespace/name`); none: mesh-internal traffic only. */
  readonly gateways?: readonly string[];
  /** Extra hosts (e.g. the external hostname when bound to a gateway). */
  readonly hosts?: readonly string[];
  readonly headerRoute?: HeaderRouteOptions;
  /** Mirror a share of the traffic to the canary first (setMirrorRoute). */
  readonly mirror?: IstioMirrorOptions;
}

export function istio(options: IstioOptions): Routing {
  const mode = options.mode ?? 'subset';
  const header = options.headerRoute;
  const mirror = options.mirror;
  const managed = [
    ...(header !== undefined ? [{ name: HEADER_ROUTE_NAME }] : []),
    ...(mirror !== undefined ? [{ name: MIRROR_ROUTE_NAME }] : []),
  ];
  const destinations = (ctx: RoutingContext) =>
    mode === 'subset'
      ? [
          {
            destination: { host: ctx.rootService, subset: 'stable', port: { number: ctx.port } },
            weight: 100,
          },
          { destination: { host: ctx.rootService, subset: 'canary', port: { number: ctx.port } }, weight: 0 },
        ]
      : [
          { destination: { host: ctx.stableService, port: { number: ctx.port } }, weight: 100 },
          { destination: { host: ctx.canaryService, port: { number: ctx.port } }, weight: 0 },
        ];

  return {
    router: 'istio',
    headerRoute: header,
    needsRootService: true,
    trafficRouting: (ctx) => ({
      ...(managed.length > 0 ? { managedRoutes: managed } : {}),
      istio: {
        virtualService: { name: ctx.name, routes: [PRIMARY_ROUTE] },
        ...(mode === 'subset'
          ? { destinationRule: { name: ctx.name, canarySubsetName: 'canary', stableSubsetName: 'stable' } }
          : {}),
      },
    }),
    objects: (ctx): KubeObject[] => [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: ctx.name, namespace: ctx.namespace, labels: ctx.commonLabels },
        spec: {
          hosts: [ctx.rootService, ...(options.hosts ?? [])],
          ...(options.gateways !== undefined && options.gateways.length > 0
            ? { gateways: [...options.gateways, 'mesh'] }
            : {}),
          http: [{ name: PRIMARY_ROUTE, route: destinations(ctx) }],
        },
      },
      ...(mode === 'subset'
        ? [
            {
              apiVersion: 'networking.istio.io/v1',
              kind: 'DestinationRule',
              metadata: { name: ctx.name, namespace: ctx.namespace, labels: ctx.commonLabels },
              spec: {
                host: ctx.rootService,
                subsets: [
                  { name: 'canary', labels: { ...ctx.podLabels } },
                  { name: 'stable', labels: { ...ctx.podLabels } },
                ],
              },
            },
          ]
        : []),
    ],
    leadingSteps: (): Step[] =>
      mirror === undefined
        ? []
        : [
            // Before any setWeight the canary has no pods: run one to receive the mirrored copies.
            { setCanaryScale: { replicas: 1 } },
            {
              setMirrorRoute: {
                name: MIRROR_ROUTE_NAME,
                percentage: mirror.percentage,
                match: [{ path: { prefix: '/' } }],
              },
            },
            { pause: { duration: mirror.duration ?? '5m' } },
            // A setMirrorRoute without match removes the mirror before real traffic reaches the canary.
            { setMirrorRoute: { name: MIRROR_ROUTE_NAME } },
            { setCanaryScale: { matchTrafficWeight: true } },
          ],
    stepsAfterFirstWeight: (): Step[] => (header !== undefined ? [setHeaderRouteStep(header)] : []),
    problems: (): SpecProblem[] => {
      const problems = headerRouteProblems(header, 'headerRoute');
      if (
        mirror !== undefined &&
        (!Number.isInteger(mirror.percentage) || mirror.percentage < 1 || mirror.percentage > 100)
      )
        problems.push({
          path: 'istio.mirror.percentage',
          message: `must be a whole number from 1 to 100, got ${mirror.percentage}`,
        });
      if (mirror?.duration !== undefined && !/^([0-9]+(ms|s|m|h))+$/.test(mirror.duration))
        problems.push({
          path: 'istio.mirror.duration',
          message: `must be a duration such as 30s, 5m or 1h, got "${mirror.duration}"`,
        });
      for (const [i, g] of (options.gateways ?? []).entries()) {
        const parts = g.split('/');
        const [ns, name] = parts.length === 2 ? parts : [undefined, parts.length === 1 ? g : undefined];
        if ((ns !== undefined && !isDnsLabel(ns)) || name === undefined || !isDnsLabel(name))
          problems.push({
            path: `istio.gateways[${i}]`,
            message: `must be "name" or "namespace/name", got "${g}"`,
          });
      }
      return problems;
    },
  };
}
