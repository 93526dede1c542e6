// Rules that tie a Rollout to the objects around it: the route (HTTPRoute backendRefs, the NGINX stable Ingress, the
// Istio VirtualService and DestinationRule) names the Rollout's canary and stable Services or subsets; the Services
// select the Rollout's pods; the selector matches the pod template.
import { finding, type Finding } from '../findings.js';
import { asArray, asRecord, CANARY, get, metadataOf, rollouts, type LintContext } from '../context.js';
import type { LintObject } from '../load.js';
import { GATEWAY_API_PLUGIN } from './steps.js';

function named(
  ctx: LintContext,
  kind: string,
  name: unknown,
  namespace: string | undefined,
): LintObject | undefined {
  if (typeof name !== 'string') return undefined;
  const [ns, short] = name.includes('/') ? (name.split('/', 2) as [string, string]) : [namespace, name];
  return ctx.objects.find((o) => {
    const m = metadataOf(o.object);
    return (
      o.object.kind === kind &&
      m.name === short &&
      (m.namespace === undefined || ns === undefined || m.namespace === ns)
    );
  });
}

function missing(o: LintObject, path: (string | number)[], kind: string, name: string): Finding {
  return finding(
    o,
    'route-backends',
    path,
    `${kind} "${name}" is not in the given files, so its backends were not checked`,
    `pass the file that defines ${kind} ${name} to lint`,
    'warning',
  );
}

/** `route-backends`: the router's objects send traffic to the Rollout's canary and stable Services (or subsets). */
export function routeBackendsRule(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  for (const o of rollouts(ctx)) {
    const canary = asRecord(get(o.object, CANARY));
    const routing = asRecord(canary.trafficRouting);
    const namespace = metadataOf(o.object).namespace;
    const stable = canary.stableService;
    const canarySvc = canary.canaryService;
    const base = [...CANARY, 'trafficRouting'];

    const gateway = asRecord(asRecord(routing.plugins)[GATEWAY_API_PLUGIN]);
    const routeNames = [
      ...(typeof gateway.httpRoute === 'string' ? [gateway.httpRoute] : []),
      ...asArray(gateway.httpRoutes)
        .map((r) => asRecord(r).name)
        .filter((n): n is string => typeof n === 'string'),
    ];
    const gatewayNs = typeof gateway.namespace === 'string' ? gateway.namespace : namespace;
    for (const routeName of routeNames) {
      const route = named(ctx, 'HTTPRoute', routeName, gatewayNs);
      const path = [...base, 'plugins', GATEWAY_API_PLUGIN];
      if (route === undefined) {
        findings.push(missing(o, path, 'HTTPRoute', routeName));
        continue;
      }
      const rules = asArray(get(route.object, ['spec', 'rules']));
      const ok = rules.some((rule) => {
        const refs = asArray(asRecord(rule).backendRefs).map(asRecord);
        const has = (svc: unknown) =>
          refs.some((r) => r.name === svc && (r.kind === undefined || r.kind === 'Service'));
        return has(stable) && has(canarySvc);
      });
      if (!ok)
        findings.push(
          finding(
            route,
            'route-backends',
            ['spec', 'rules'],
            `no rule lists both the stable Service "${String(stable)}" and the canary Service "${String(canarySvc)}" of Rollout ${String(metadataOf(o.object).name)} as backendRefs`,
            'list both Services as backendRefs of the rule (the plugin rewrites their weights)',
          ),
        );
    }

    const nginx = asRecord(routing.nginx);
    if (typeof nginx.stableIngress === 'string') {
      const ingress = named(ctx, 'Ingress', nginx.stableIngress, namespace);
      if (ingress === undefined)
        findings.push(missing(o, [...base, 'nginx', 'stableIngress'], 'Ingress', nginx.stableIngress));
      else {
        const backends = asArray(get(ingress.object, ['spec', 'rules'])).flatMap((r) =>
          asArray(get(r, ['http', 'paths'])).map((p) => get(p, ['backend', 'service', 'name'])),
        );
        if (!backends.includes(stable))
          findings.push(
            finding(
              ingress,
              'route-backends',
              ['spec', 'rules'],
              `no path sends traffic to the stable Service "${String(stable)}" of Rollout ${String(metadataOf(o.object).name)}`,
              `point the Ingress backend at ${String(stable)}; Argo creates the canary Ingress itself`,
            ),
          );
        if (canarySvc !== stable && backends.includes(canarySvc))
          findings.push(
            finding(
              ingress,
              'route-backends',
              ['spec', 'rules'],
              `the stable Ingress sends traffic to the canary Service "${String(canarySvc)}"`,
              `use ${String(stable)}; Argo creates the canary Ingress itself`,
            ),
          );
      }
    }

    const istio = asRecord(routing.istio);
    if (routing.istio !== undefined)
      findings.push(...istioFindings(ctx, o, istio, stable, canarySvc, namespace));
  }
  return findings;
}

function istioFindings(
  ctx: LintContext,
  o: LintObject,
  istio: Record<string, unknown>,
  stable: unknown,
  canarySvc: unknown,
  namespace: string | undefined,
): Finding[] {
  const findings: Finding[] = [];
  const base = [...CANARY, 'trafficRouting', 'istio'];
  const rule = asRecord(istio.destinationRule);
  const subsets = istio.destinationRule !== undefined;
  const services = [
    ...(istio.virtualService !== undefined
      ? [{ vs: asRecord(istio.virtualService), path: [...base, 'virtualService'] }]
      : []),
    ...asArray(istio.virtualServices).map((v, i) => ({
      vs: asRecord(v),
      path: [...base, 'virtualServices', i],
    })),
  ];
  for (const { vs, path } of services) {
    const object = named(ctx, 'VirtualService', vs.name, namespace);
    if (object === undefined) {
      if (typeof vs.name === 'string')
        findings.push(missing(o, [...path, 'name'], 'VirtualService', vs.name));
      continue;
    }
    const http = asArray(get(object.object, ['spec', 'http'])).map(asRecord);
    const wanted = asArray(vs.routes).filter((r): r is string => typeof r === 'string');
    if (wanted.length === 0 && http.length > 1)
      findings.push(
        finding(
          o,
          'route-backends',
          [...path, 'routes'],
          `VirtualService ${String(vs.name)} has ${http.length} HTTP routes and none is named here`,
          'list the route to manage in routes (Argo needs exactly one route when routes is omitted)',
        ),
      );
    const targets =
      wanted.length === 0 ? http.slice(0, 1) : http.filter((h) => wanted.includes(h.name as string));
    for (const name of wanted)
      if (!http.some((h) => h.name === name))
        findings.push(
          finding(
            o,
            'route-backends',
            [...path, 'routes'],
            `VirtualService ${String(vs.name)} has no HTTP route "${name}"`,
            'name the route in the VirtualService',
          ),
        );
    for (const route of targets) {
      const dests = asArray(route.route).map((d) => asRecord(asRecord(d).destination));
      const index = http.indexOf(route);
      const missingOnes = subsets
        ? [rule.stableSubsetName, rule.canarySubsetName]
            .filter((s) => !dests.some((d) => d.subset === s))
            .map((s) => `subset "${String(s)}"`)
        : [stable, canarySvc]
            .filter((s) => !dests.some((d) => hostMatches(d.host, s)))
            .map((s) => `host "${String(s)}"`);
      if (missingOnes.length > 0)
        findings.push(
          finding(
            object,
            'route-backends',
            ['spec', 'http', index, 'route'],
            `route "${String(route.name ?? index)}" lacks a destination with ${missingOnes.join(' and ')} of Rollout ${String(metadataOf(o.object).name)}`,
            subsets
              ? 'route to both DestinationRule subsets'
              : 'route to both the stable and the canary Service',
          ),
        );
    }
  }
  if (subsets && typeof rule.name === 'string') {
    const dr = named(ctx, 'DestinationRule', rule.name, namespace);
    if (dr === undefined)
      findings.push(missing(o, [...base, 'destinationRule', 'name'], 'DestinationRule', rule.name));
    else {
      const names = asArray(get(dr.object, ['spec', 'subsets'])).map((s) => asRecord(s).name);
      for (const s of [rule.stableSubsetName, rule.canarySubsetName])
        if (!names.includes(s))
          findings.push(
            finding(
              dr,
              'route-backends',
              ['spec', 'subsets'],
              `has no subset "${String(s)}" (named in Rollout ${String(metadataOf(o.object).name)})`,
              `add subset ${String(s)}`,
            ),
          );
    }
  }
  return findings;
}

function hostMatches(host: unknown, service: unknown): boolean {
  return (
    typeof host === 'string' &&
    typeof service === 'string' &&
    (host === service || host.startsWith(`${service}.`))
  );
}

/** `services`: distinct canary and stable Services that exist and select the Rollout's pods; a matching selector. */
export function servicesRule(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  for (const o of rollouts(ctx)) {
    const canary = asRecord(get(o.object, CANARY));
    const namespace = metadataOf(o.object).namespace;
    const labels = asRecord(get(o.object, ['spec', 'template', 'metadata', 'labels']));
    if (canary.canaryService !== undefined && canary.canaryService === canary.stableService)
      findings.push(
        finding(
          o,
          'services',
          [...CANARY, 'stableService'],
          'is the same Service as canaryService',
          'use two Services, <name>-stable and <name>-canary',
        ),
      );
    if (
      canary.trafficRouting !== undefined &&
      canary.trafficRouting !== null &&
      get(canary, ['trafficRouting', 'istio', 'destinationRule']) === undefined &&
      get(canary, ['trafficRouting', 'plugins']) === undefined
    )
      for (const field of ['stableService', 'canaryService'])
        if (typeof canary[field] !== 'string')
          findings.push(
            finding(
              o,
              'services',
              [...CANARY, field],
              'is required with this traffic routing',
              `set ${field}`,
            ),
          );
    for (const field of ['stableService', 'canaryService']) {
      const name = canary[field];
      if (typeof name !== 'string') continue;
      const svc = named(ctx, 'Service', name, namespace);
      if (svc === undefined) {
        findings.push(
          finding(
            o,
            'services',
            [...CANARY, field],
            `Service "${name}" is not in the given files`,
            `pass the file that defines Service ${name}`,
            'warning',
          ),
        );
        continue;
      }
      for (const [key, value] of Object.entries(asRecord(get(svc.object, ['spec', 'selector'])))) {
        if (key === 'rollouts-pod-template-hash') continue;
        if (labels[key] !== value)
          findings.push(
            finding(
              svc,
              'services',
              ['spec', 'selector', key],
              `selects ${key}=${String(value)}, which the pods of Rollout ${String(metadataOf(o.object).name)} do not carry`,
              "select the pod template's labels",
            ),
          );
      }
    }
    for (const [key, value] of Object.entries(asRecord(get(o.object, ['spec', 'selector', 'matchLabels']))))
      if (labels[key] !== value)
        findings.push(
          finding(
            o,
            'services',
            ['spec', 'selector', 'matchLabels', key],
            `selects ${key}=${String(value)} but the pod template's labels do not match`,
            'make spec.template.metadata.labels carry every selector label',
          ),
        );
  }
  return findings;
}
