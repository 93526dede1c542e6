// Gateway API through the Argo Rollouts plugin argoproj-labs/gatewayAPI: an HTTPRoute whose rule lists the stable
// and canary Services (the plugin rewrites their weights), the plugin registration in the controller's ConfigMap,
// and the RBAC the controller's ServiceAccount needs on httproutes. Header routes are managed routes the plugin
// adds to the HTTPRoute (`managedRoutes` + `setHeaderRoute` + `useHeaderRoutes: true`).
import { isDnsLabel, type SpecProblem } from '../problems.js';
import type { HeaderRouteOptions, KubeObject } from '../types.js';
import {
  HEADER_ROUTE_NAME,
  headerRouteProblems,
  setHeaderRouteStep,
  type Routing,
  type RoutingContext,
  type Step,
} from './types.js';

export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';
export const DEFAULT_PLUGIN_VERSION = 'v0.15.0';

export interface GatewayApiOptions {
  /** The Gateway the HTTPRoute attaches to. */
  readonly gateway: { readonly name: string; readonly namespace?: string; readonly sectionName?: string };
  /** Hostnames the route answers. @default none (every hostname of the listener) */
  readonly hostnames?: readonly string[];
  /** Route path prefix. @default '/' */
  readonly pathPrefix?: string;
  readonly headerRoute?: HeaderRouteOptions;
  /** Emit the plugin's ConfigMap registration and RBAC. @default true */
  readonly installPlugin?: boolean;
  /** Plugin release to register. @default 'v0.15.0' */
  readonly pluginVersion?: string;
  /** Plugin binary flavour. @default 'linux-amd64' */
  readonly pluginArch?: 'linux-amd64' | 'linux-arm64';
  /** Namespace and ServiceAccount of the Argo Rollouts controller. @default argo-rollouts / argo-rollouts */
  readonly controller?: { readonly namespace?: string; readonly serviceAccount?: string };
}

export function pluginLocation(version: string, arch: string): string {
  return (
    'https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/' +
    `${version}/gatewayapi-plugin-${arch}`
  );
}

export function gatewayApi(options: GatewayApiOptions): Routing {
  const header = options.headerRoute;
  const install = options.installPlugin ?? true;
  const version = options.pluginVersion ?? DEFAULT_PLUGIN_VERSION;
  const arch = options.pluginArch ?? 'linux-amd64';
  const controllerNamespace = options.controller?.namespace ?? 'argo-rollouts';
  const controllerAccount = options.controller?.serviceAccount ?? 'argo-rollouts';

  const httpRoute = (ctx: RoutingContext): KubeObject => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: ctx.name, namespace: ctx.namespace, labels: ctx.commonLabels },
    spec: {
      parentRefs: [
        {
          name: options.gateway.name,
          ...(options.gateway.namespace !== undefined ? { namespace: options.gateway.namespace } : {}),
          ...(options.gateway.sectionName !== undefined ? { sectionName: options.gateway.sectionName } : {}),
        },
      ],
      ...(options.hostnames !== undefined && options.hostnames.length > 0
        ? { hostnames: [...options.hostnames] }
        : {}),
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: options.pathPrefix ?? '/' } }],
          backendRefs: [
            { kind: 'Service', name: ctx.stableService, port: ctx.port, weight: 100 },
            { kind: 'Service', name: ctx.canaryService, port: ctx.port, weight: 0 },
          ],
        },
      ],
    },
  });

  const pluginObjects = (): KubeObject[] => {
    const labels = { 'app.kubernetes.io/part-of': 'argo-rollouts' };
    const role = 'argo-rollouts-gateway-api-plugin';
    return [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'argo-rollouts-config',
          namespace: controllerNamespace,
          labels,
          annotations: {
            'vllm-canary.io/note':
              'Replaces the whole controller ConfigMap: merge with your other plugins before applying.',
          },
        },
        data: {
          trafficRouterPlugins: `- name: "${GATEWAY_API_PLUGIN}"\n  location: "${pluginLocation(version, arch)}"\n`,
        },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: role, labels },
        rules: [
          { apiGroups: [''], resources: ['services'], verbs: ['get'] },
          {
            apiGroups: ['gateway.networking.k8s.io'],
            resources: ['httproutes'],
            verbs: ['get', 'list', 'watch', 'update', 'patch'],
          },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: role, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
        subjects: [{ kind: 'ServiceAccount', name: controllerAccount, namespace: controllerNamespace }],
      },
    ];
  };

  return {
    router: 'gateway-api',
    headerRoute: header,
    needsRootService: false,
    trafficRouting: (ctx) => ({
      ...(header !== undefined ? { managedRoutes: [{ name: HEADER_ROUTE_NAME }] } : {}),
      plugins: {
        [GATEWAY_API_PLUGIN]:
          header !== undefined
            ? { httpRoutes: [{ name: ctx.name, useHeaderRoutes: true }], namespace: ctx.namespace }
            : { httpRoute: ctx.name, namespace: ctx.namespace },
      },
    }),
    objects: (ctx) => [httpRoute(ctx), ...(install ? pluginObjects() : [])],
    leadingSteps: (): Step[] => [],
    stepsAfterFirstWeight: (): Step[] => (header !== undefined ? [setHeaderRouteStep(header)] : []),
    problems: (): SpecProblem[] => {
      const problems = headerRouteProblems(header, 'headerRoute');
      if (!isDnsLabel(options.gateway.name))
        problems.push({
          path: 'gatewayApi.gateway.name',
          message: `must be a DNS-1123 label, got "${options.gateway.name}"`,
        });
      if (options.gateway.namespace !== undefined && !isDnsLabel(options.gateway.namespace))
        problems.push({
          path: 'gatewayApi.gateway.namespace',
          message: `must be a DNS-1123 label, got "${options.gateway.namespace}"`,
        });
      if (!/^v\d+\.\d+\.\d+$/.test(version))
        problems.push({
          path: 'gatewayApi.pluginVersion',
          message: `must be a release tag such as ${DEFAULT_PLUGIN_VERSION}, got "${version}"`,
        });
      if (options.pathPrefix !== undefined && !options.pathPrefix.startsWith('/'))
        problems.push({
          path: 'gatewayApi.pathPrefix',
          message: `must start with "/", got "${options.pathPrefix}"`,
        });
      return problems;
    },
  };
}
