// Rules about an object on its own: its schema, its metadata, and what Argo's Rollout schema leaves open (the pod
// template's resources, GPUs).
import { podTemplateProblems } from '../core-schemas.js';
import { finding, type Finding } from '../findings.js';
import { asRecord, get, metadataOf, rollouts, type LintContext } from '../context.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding', 'ClusterAnalysisTemplate', 'Namespace']);

/** `schema`: the object matches the schema of its apiVersion and kind; `unknown-kind`: no schema is known. */
export function schemaRule(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  for (const o of ctx.objects) {
    const apiVersion = o.object.apiVersion;
    const kind = o.object.kind;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      findings.push(
        finding(
          o,
          'schema',
          [],
          'has no apiVersion or kind',
          'set apiVersion and kind (e.g. argoproj.io/v1alpha1, Rollout)',
        ),
      );
      continue;
    }
    const problems = ctx.schemas.validate(o.object);
    if (problems === undefined) {
      findings.push(
        finding(
          o,
          'unknown-kind',
          ['kind'],
          `no schema is known for ${apiVersion} ${kind}, so it was not validated`,
          'check apiVersion and kind; lint knows Argo Rollouts, Gateway API, Istio, prometheus-operator and core kinds',
          'warning',
        ),
      );
      continue;
    }
    for (const p of problems)
      findings.push(
        finding(
          o,
          'schema',
          p.path,
          p.message,
          `make it match the ${apiVersion} ${kind} schema (${ctx.schemas.origin})`,
        ),
      );
  }
  return findings;
}

/** `metadata`: every object has a valid name, and a namespace only where its kind has one. */
export function metadataRule(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  for (const o of ctx.objects) {
    const m = metadataOf(o.object);
    const kind = String(o.object.kind);
    if (m.name === undefined)
      findings.push(finding(o, 'metadata', ['metadata', 'name'], 'is missing', 'give the object a name'));
    else if (!DNS_SUBDOMAIN.test(m.name) || m.name.length > 253)
      findings.push(
        finding(
          o,
          'metadata',
          ['metadata', 'name'],
          `"${m.name}" is not a DNS-1123 name`,
          'use lower-case letters, digits, "-" and "."',
        ),
      );
    if (m.namespace !== undefined && !DNS_LABEL.test(m.namespace))
      findings.push(
        finding(
          o,
          'metadata',
          ['metadata', 'namespace'],
          `"${m.namespace}" is not a DNS-1123 label`,
          'fix the namespace',
        ),
      );
    if (m.namespace !== undefined && CLUSTER_SCOPED.has(kind))
      findings.push(
        finding(
          o,
          'metadata',
          ['metadata', 'namespace'],
          `${kind} is cluster-scoped and takes no namespace`,
          'remove metadata.namespace',
          'warning',
        ),
      );
  }
  return findings;
}

/**
 * `pod-template`: Argo's CRD leaves container resources open, so the Rollout's pod template is validated against the
 * core PodTemplateSpec schema, and GPUs are whole numbers with requests equal to limits (extended resources cannot
 * be overcommitted).
 */
export function podTemplateRule(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  for (const o of rollouts(ctx)) {
    const template = get(o.object, ['spec', 'template']);
    if (template === undefined) continue;
    for (const p of podTemplateProblems(template))
      findings.push(
        finding(
          o,
          'pod-template',
          ['spec', 'template', ...p.path],
          p.message,
          'make it a valid core/v1 PodTemplateSpec',
        ),
      );
    const containers = get(template, ['spec', 'containers']);
    if (!Array.isArray(containers)) continue;
    containers.forEach((c, i) => {
      const resources = asRecord(asRecord(c).resources);
      const limits = asRecord(resources.limits);
      const requests = asRecord(resources.requests);
      const base = ['spec', 'template', 'spec', 'containers', i, 'resources'];
      for (const [key, value] of Object.entries({ ...limits, ...requests })) {
        if (!key.endsWith('/gpu')) continue;
        if (!/^\d+$/.test(String(value)))
          findings.push(
            finding(
              o,
              'pod-template',
              [...base, key in limits ? 'limits' : 'requests', key],
              `${key} must be a whole number of GPUs, got ${String(value)}`,
              'request whole GPUs (vLLM shards a model across them with --tensor-parallel-size)',
            ),
          );
      }
      for (const key of Object.keys(requests).filter((k) => k.endsWith('/gpu'))) {
        if (limits[key] === undefined)
          findings.push(
            finding(
              o,
              'pod-template',
              [...base, 'requests', key],
              `${key} is requested without a limit`,
              `set limits.${key} (extended resources are allocated by their limit)`,
            ),
          );
        else if (String(limits[key]) !== String(requests[key]))
          findings.push(
            finding(
              o,
              'pod-template',
              [...base, 'requests', key],
              `${key} request ${String(requests[key])} differs from its limit ${String(limits[key])}`,
              'make the request equal the limit, or leave the request out',
            ),
          );
      }
    });
  }
  return findings;
}
