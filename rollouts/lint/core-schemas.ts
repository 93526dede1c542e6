// Core Kubernetes kinds, validated with the kubernetes-models package (the Kubernetes OpenAPI schemas compiled to
// validators). Also validates a Rollout's pod template, whose resources Argo's CRD leaves open.
import type { ErrorObject } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PodTemplate } from 'kubernetes-models/v1/PodTemplate';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { toProblems, type SchemaProblem } from './schema-problems.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

const MODELS: Readonly<Record<string, ModelClass>> = {
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Namespace': Namespace,
  'v1/PodTemplate': PodTemplate,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'networking.k8s.io/v1/Ingress': Ingress,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

export type CoreValidator = (object: Readonly<Record<string, unknown>>) => SchemaProblem[];

/** The validator of a core kind, or undefined for kinds this package does not carry. */
export function coreValidator(apiVersion: string, kind: string): CoreValidator | undefined {
  const Model = MODELS[`${apiVersion}/${kind}`];
  if (Model === undefined) return undefined;
  return (object) => {
    const { apiVersion: _a, kind: _k, ...data } = object;
    return problemsOf(() => new Model(data as never).validate());
  };
}

/** Problems of a pod template (a Rollout's spec.template), paths relative to the template. */
export function podTemplateProblems(template: unknown): SchemaProblem[] {
  return problemsOf(() =>
    new PodTemplate({ metadata: { name: 'template' }, template } as never).validate(),
  ).map((p) => ({ path: p.path[0] === 'template' ? p.path.slice(1) : p.path, message: p.message }));
}

function problemsOf(run: () => void): SchemaProblem[] {
  try {
    run();
    return [];
  } catch (error) {
    const errors = (error as { errors?: ErrorObject[] }).errors;
    if (Array.isArray(errors)) return toProblems(errors);
    return [{ path: [], message: error instanceof Error ? error.message : String(error) }];
  }
}
