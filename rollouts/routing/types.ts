// What a traffic router contributes to the manifests. The Rollout generator stays router-agnostic: it asks the
// Routing for its trafficRouting block, its extra objects and the steps it adds around the weight ramp.
import type { SpecProblem } from '../problems.js';
import type { HeaderRouteOptions, KubeObject } from '../types.js';

export type RouterName = 'gateway-api' | 'nginx' | 'istio';
export const ROUTER_NAMES: readonly RouterName[] = ['gateway-api', 'nginx', 'istio'];

/** Names the generator settles before the router builds anything. */
export interface RoutingContext {
  readonly name: string;
  readonly namespace: string;
  readonly stableService: string;
  readonly canaryService: string;
  /** The Service that addresses both tracks (Istio's host). */
  readonly rootService: string;
  readonly port: number;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly commonLabels: Readonly<Record<string, string>>;
}

export type Step = Readonly<Record<string, unknown>>;

export interface Routing {
  readonly router: RouterName;
  readonly headerRoute: HeaderRouteOptions | undefined;
  /** Whether the router needs a Service selecting both tracks. */
  readonly needsRootService: boolean;
  /** `spec.strategy.canary.trafficRouting`. */
  trafficRouting(ctx: RoutingContext): Readonly<Record<string, unknown>>;
  /** The router's objects: routes, Ingress, VirtualService, plugin registration, RBAC. */
  objects(ctx: RoutingContext): KubeObject[];
  /** Steps before the first setWeight (Istio's traffic mirror). */
  leadingSteps(): Step[];
  /** Steps right after the first setWeight (setHeaderRoute where the router supports it). */
  stepsAfterFirstWeight(): Step[];
  /** Problems of the router's own props, with paths in spec-file terms. */
  problems(): SpecProblem[];
}

/** The managed route names the generator uses. */
export const HEADER_ROUTE_NAME = 'canary-by-header';
export const MIRROR_ROUTE_NAME = 'canary-mirror';

export function headerRouteProblems(route: HeaderRouteOptions | undefined, path: string): SpecProblem[] {
  if (route === undefined) return [];
  const problems: SpecProblem[] = [];
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(route.header))
    problems.push({ path: `${path}.header`, message: `must be an HTTP header name, got "${route.header}"` });
  if (route.value === '') problems.push({ path: `${path}.value`, message: 'must not be empty' });
  return problems;
}

/** The step that turns the header route on. */
export function setHeaderRouteStep(route: HeaderRouteOptions): Step {
  return {
    setHeaderRoute: {
      name: HEADER_ROUTE_NAME,
      match: [{ headerName: route.header, headerValue: { [route.match ?? 'exact']: route.value } }],
    },
  };
}
