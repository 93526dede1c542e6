// Rules about a Rollout's steps and traffic routing: weights rise, header and mirror routes only where the router
// supports them and `managedRoutes` declares them, and the gatewayAPI plugin block (left open by Argo's schema) is
// well formed (argo-rollouts v1.9.1 pkg/apis/rollouts/validation; the plugin's pkg/plugin/types.go).
import { finding, type Finding } from '../findings.js';
import { asArray, asRecord, CANARY, get, rollouts, type LintContext } from '../context.js';

export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';
const GATEWAY_PLUGIN_KEYS = new Set([
  'httpRoute',
  'grpcRoute',
  'tcpRoute',
  'tlsRoute',
  'namespace',
  'httpRoutes',
  'grpcRoutes',
  'tcpRoutes',
  'tlsRoutes',
  'httpRouteSelector',
  'grpcRouteSelector',
  'tcpRouteSelector',
  'tlsRouteSelector',
  'disableInProgressLabel',
  'inProgressLabelKey',
  'inProgressLabelValue',
]);

/** `weights`: each setWeight is within 0..maxTrafficWeight and not below the one before. */
export function weightsRule(ctx: LintContext): Finding[] {
  return rollouts(ctx).flatMap((o) => {
    const canary = asRecord(get(o.object, CANARY));
    const max =
      typeof get(canary, ['trafficRouting', 'maxTrafficWeight']) === 'number'
        ? (get(canary, ['trafficRouting', 'maxTrafficWeight']) as number)
        : 100;
    const findings: Finding[] = [];
    let previous: { weight: number; index: number } | undefined;
    asArray(canary.steps).forEach((step, i) => {
      const weight = asRecord(step).setWeight;
      if (typeof weight !== 'number') return;
      const path = [...CANARY, 'steps', i, 'setWeight'];
      if (weight < 0 || weight > max)
        findings.push(
          finding(o, 'weights', path, `${weight} is outside 0..${max}`, `use a weight from 0 to ${max}`),
        );
      else if (previous !== undefined && weight < previous.weight)
        findings.push(
          finding(
            o,
            'weights',
            path,
            `weights must rise: ${weight} follows ${previous.weight} (step ${previous.index})`,
            'order the setWeight steps from low to high; abort the rollout to go back to stable',
          ),
        );
      else if (previous !== undefined && weight === previous.weight)
        findings.push(
          finding(
            o,
            'weights',
            path,
            `repeats weight ${weight} of step ${previous.index}`,
            'remove the repeated step',
            'warning',
          ),
        );
      previous = { weight, index: i };
    });
    return findings;
  });
}

/** `header-routes`: setHeaderRoute / setMirrorRoute only with a router that supports them, declared in managedRoutes. */
export function headerRoutesRule(ctx: LintContext): Finding[] {
  return rollouts(ctx).flatMap((o) => {
    const canary = asRecord(get(o.object, CANARY));
    const routing = asRecord(canary.trafficRouting);
    const managed = new Set(asArray(routing.managedRoutes).map((r) => asRecord(r).name));
    const plugins = asRecord(routing.plugins);
    const headerCapable =
      routing.istio !== undefined ||
      routing.alb !== undefined ||
      routing.apisix !== undefined ||
      Object.keys(plugins).length > 0;
    const findings: Finding[] = [];
    asArray(canary.steps).forEach((s, i) => {
      const step = asRecord(s);
      for (const kind of ['setHeaderRoute', 'setMirrorRoute'] as const) {
        if (step[kind] === undefined) continue;
        const path = [...CANARY, 'steps', i, kind];
        const supported = kind === 'setHeaderRoute' ? headerCapable : routing.istio !== undefined;
        if (!supported) {
          findings.push(
            finding(
              o,
              'header-routes',
              path,
              routing.nginx !== undefined && kind === 'setHeaderRoute'
                ? 'setHeaderRoute does nothing with NGINX (Argo refuses it)'
                : `${kind} needs ${kind === 'setHeaderRoute' ? 'Istio, ALB, Apisix or a traffic router plugin' : 'Istio'} traffic routing`,
              routing.nginx !== undefined && kind === 'setHeaderRoute'
                ? 'remove the step and set trafficRouting.nginx.additionalIngressAnnotations {canary-by-header: X-Canary, canary-by-header-value: "..."}'
                : 'remove the step or route traffic with a router that supports it',
            ),
          );
          continue;
        }
        const name = asRecord(step[kind]).name;
        if (routing.managedRoutes === undefined)
          findings.push(
            finding(
              o,
              'header-routes',
              [...CANARY, 'trafficRouting'],
              `step ${i} uses ${kind} but trafficRouting.managedRoutes is missing`,
              `add managedRoutes: [{name: ${String(name)}}]`,
            ),
          );
        else if (!managed.has(name))
          findings.push(
            finding(
              o,
              'header-routes',
              [...path, 'name'],
              `route "${String(name)}" is not declared in trafficRouting.managedRoutes`,
              `add {name: ${String(name)}} to managedRoutes`,
            ),
          );
        if (kind === 'setHeaderRoute' && plugins[GATEWAY_API_PLUGIN] !== undefined) {
          const config = asRecord(plugins[GATEWAY_API_PLUGIN]);
          const routes = [...asArray(config.httpRoutes), ...asArray(config.grpcRoutes)];
          if (!routes.some((r) => asRecord(r).useHeaderRoutes === true))
            findings.push(
              finding(
                o,
                'header-routes',
                [...CANARY, 'trafficRouting', 'plugins', GATEWAY_API_PLUGIN],
                'setHeaderRoute needs a route with useHeaderRoutes: true, or the plugin ignores it',
                'write httpRoutes: [{name: <route>, useHeaderRoutes: true}] instead of httpRoute',
              ),
            );
        }
      }
    });
    return findings;
  });
}

/** `plugin-config`: the gatewayAPI plugin block names a route and only fields the plugin knows. */
export function pluginConfigRule(ctx: LintContext): Finding[] {
  return rollouts(ctx).flatMap((o) => {
    const plugins = asRecord(get(o.object, [...CANARY, 'trafficRouting', 'plugins']));
    const findings: Finding[] = [];
    for (const [name, value] of Object.entries(plugins)) {
      const path = [...CANARY, 'trafficRouting', 'plugins', name];
      if (name !== GATEWAY_API_PLUGIN) {
        findings.push(
          finding(
            o,
            'plugin-config',
            path,
            `plugin "${name}" is not checked by lint`,
            'check its configuration by hand',
            'warning',
          ),
        );
        continue;
      }
      const config = asRecord(value);
      for (const key of Object.keys(config))
        if (!GATEWAY_PLUGIN_KEYS.has(key))
          findings.push(
            finding(
              o,
              'plugin-config',
              [...path, key],
              `is not a field of the ${GATEWAY_API_PLUGIN} plugin`,
              'use httpRoute or httpRoutes, and namespace',
            ),
          );
      const routes = [
        'httpRoute',
        'grpcRoute',
        'tcpRoute',
        'tlsRoute',
        'httpRoutes',
        'grpcRoutes',
        'tcpRoutes',
        'tlsRoutes',
      ];
      const selectors = ['httpRouteSelector', 'grpcRouteSelector', 'tcpRouteSelector', 'tlsRouteSelector'];
      if (![...routes, ...selectors].some((k) => config[k] !== undefined))
        findings.push(
          finding(
            o,
            'plugin-config',
            path,
            'names no route',
            'set httpRoute: <HTTPRoute name> (or httpRoutes)',
          ),
        );
      for (const list of ['httpRoutes', 'grpcRoutes', 'tcpRoutes', 'tlsRoutes'])
        asArray(config[list]).forEach((r, i) => {
          if (typeof asRecord(r).name !== 'string')
            findings.push(
              finding(o, 'plugin-config', [...path, list, i, 'name'], 'is missing', 'name the route'),
            );
        });
    }
    return findings;
  });
}
