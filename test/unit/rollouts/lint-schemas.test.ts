// The packaged CRD schemas are exactly what the extract script makes of the upstream CRDs, and schema validation
// honours Kubernetes' extensions.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lint } from '../../../rollouts/index.js';
import { HAS_SHARED_CRDS, SHARED_CRDS } from './upstream-schemas.js';

describe('packaged CRD schemas', () => {
  it.skipIf(!HAS_SHARED_CRDS)(
    'when re-extracted from ../shared/crds then they equal the committed file',
    () => {
      const committed = JSON.parse(readFileSync(lint.EXTRACTED_FILE, 'utf8')) as unknown;
      expect(committed).toEqual(JSON.parse(JSON.stringify(lint.extractSchemas(SHARED_CRDS))));
    },
  );

  it('when read then the sources name the upstream repositories and releases', () => {
    const committed = JSON.parse(readFileSync(lint.EXTRACTED_FILE, 'utf8')) as lint.ExtractedSchemas;
    expect(committed.sources.map((s) => `${s.repository}@${s.release}`)).toEqual(
      expect.arrayContaining([
        'argoproj/argo-rollouts@v1.9.1',
        'kubernetes-sigs/gateway-api@v1.6.1',
        'istio/api@1.30.3',
        'prometheus-operator/prometheus-operator@v0.93.0',
      ]),
    );
    expect(Object.keys(committed.schemas)).toContain('argoproj.io/v1alpha1/Rollout');
    expect(committed.aliases['argoproj.io/v1alpha1/ClusterAnalysisTemplate']).toBe(
      'argoproj.io/v1alpha1/AnalysisTemplate',
    );
  });

  it('when an object has an unknown field then it is refused, except where unknown fields are preserved', () => {
    const schemas = lint.packagedSchemaSet();
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: {
        strategy: {
          canary: { canaryServce: 'x', trafficRouting: { plugins: { 'any/plugin': { free: 1 } } } },
        },
      },
    };
    expect(schemas.validate(rollout)).toEqual([
      {
        path: ['spec', 'strategy', 'canary', 'canaryServce'],
        message: 'is not a field of this kind (unknown field)',
      },
    ]);
  });

  it('when an int-or-string field holds a float or an object then it is refused', () => {
    const schemas = lint.packagedSchemaSet();
    const steps = (duration: unknown) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'r' },
      spec: { strategy: { canary: { steps: [{ pause: { duration } }] } } },
    });
    expect(schemas.validate(steps('5m'))).toEqual([]);
    expect(schemas.validate(steps(30))).toEqual([]);
    expect(schemas.validate(steps(1.5))).toEqual([
      {
        path: ['spec', 'strategy', 'canary', 'steps', 0, 'pause', 'duration'],
        message: 'must be an integer or a string',
      },
    ]);
  });

  it('when a core object is wrong then kubernetes-models says where', () => {
    const problems = lint.packagedSchemaSet().validate({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { ports: [{ port: 'http' }] },
    });
    expect(problems).toEqual([{ path: ['spec', 'ports', 0, 'port'], message: 'must be integer' }]);
  });

  it('when a kind has no schema then validate says so with undefined', () => {
    expect(
      lint.packagedSchemaSet().validate({ apiVersion: 'example.com/v1', kind: 'Widget' }),
    ).toBeUndefined();
  });
});
