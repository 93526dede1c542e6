// NOTES.txt, as `helm install --dry-run=client` prints it (no cluster needed): the next steps fit the values.
import { describe, expect, it } from 'vitest';
import { CHART_DIR, CI_VALUES_DIR, helm } from './helm.js';

function notes(valuesFile: string, set: readonly string[] = []): string {
  const result = helm([
    'install',
    'vllm-canary',
    CHART_DIR,
    '--namespace',
    'argo-rollouts',
    '--dry-run=client',
    '-f',
    `${CI_VALUES_DIR}/${valuesFile}`,
    ...set.flatMap((pair) => ['--set', pair]),
  ]);
  expect(result.code, result.stderr).toBe(0);
  const start = result.stdout.indexOf('NOTES:\n');
  expect(start).toBeGreaterThan(0);
  return result.stdout.slice(start);
}

describe('NOTES.txt', () => {
  it('when installed with the defaults then it shows the provider URL, a Rollout referencing the templates and the Gateway API plugin', () => {
    const text = notes('default-values.yaml');
    expect(text).toContain('http://vllm-canary.argo-rollouts.svc:8080');
    expect(text).toContain('- templateName: vllm-latency\n                   clusterScope: true');
    expect(text).toContain('valueFrom: { podTemplateHashValue: Latest }');
    expect(text).toContain('argo-rollouts-config');
    expect(text).toContain('- name: "argoproj-labs/gatewayAPI"');
    expect(text).toContain('vllmPodMonitor.enabled=true');
  });

  it('when auth is on without rollout namespaces then it says how to copy the token where the Rollouts run', () => {
    const text = notes('default-values.yaml', ['auth.enabled=true']);
    expect(text).toContain('The API requires a bearer token');
    expect(text).toContain(
      'kubectl -n <rollout namespace> create secret generic vllm-canary-api-token --from-file=token=token',
    );
  });

  it('when the chart wrote the token into the rollout namespaces then it names them', () => {
    expect(notes('auth-tenant-values.yaml')).toContain('The chart wrote it into: llm, llm-staging.');
  });

  it('when no template is installed and the PodMonitor is on then neither step is shown', () => {
    const text = notes('minimal-values.yaml', ['vllmPodMonitor.enabled=true']);
    expect(text).not.toContain('templateName');
    expect(text).not.toContain('rollouts-pod-template-hash as');
  });
});
