// Validation of every object the chart renders, reusing the project's schema validator (rollouts' lint): Argo
// Rollouts and prometheus-operator kinds against the upstream CRD schemas in ../shared/crds beside the repository
// when that folder exists (else the project's committed extract of the same CRDs, and the tests say so), with unknown
// fields refused as `kubectl apply` refuses them; core kinds with the kubernetes-models package. NetworkPolicy, which
// rollouts/lint does not cover, is validated here with the same package.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { ErrorObject } from 'ajv';
import { lint } from '../../../rollouts/index.js';
import { REPO_ROOT, type KubeObject } from './helm.js';

export const SHARED_CRDS = join(REPO_ROOT, '..', 'shared', 'crds');
export const HAS_SHARED_CRDS = existsSync(SHARED_CRDS);

let schemas: lint.SchemaSet | undefined;

/** The schema set: the upstream CRD folder where it exists, else the committed extract. */
export function chartSchemas(): lint.SchemaSet {
  schemas ??= HAS_SHARED_CRDS ? lint.crdFolderSchemaSet(SHARED_CRDS) : lint.packagedSchemaSet();
  return schemas;
}

/** "Kind name: path message" lines; empty when the object is valid. Throws for a kind nothing can validate. */
export function objectProblems(object: KubeObject): string[] {
  const label = `${object.kind} ${object.metadata.name}`;
  if (object.apiVersion === 'networking.k8s.io/v1' && object.kind === 'NetworkPolicy') {
    try {
      const { apiVersion: _a, kind: _k, ...data } = object;
      new NetworkPolicy(data as never).validate();
      return [];
    } catch (error) {
      const errors = (error as { errors?: ErrorObject[] }).errors ?? [];
      return errors.map((e) => `${label}: ${e.instancePath} ${e.message ?? ''}`);
    }
  }
  const problems = chartSchemas().validate(object);
  if (problems === undefined) throw new Error(`no schema is known for ${object.apiVersion} ${object.kind}`);
  return problems.map((p) => `${label}: ${p.path.join('.')} ${p.message}`);
}
