import { describe, expect, it } from 'vitest';
import type { TrackSelector } from '../../../metrics-provider/sources/metric-source.js';
import { DEFAULT_TRACK_LABELS } from '../../../metrics-provider/sources/prometheus/index.js';
import { seriesMatches, targetMatches } from '../../../metrics-provider/sources/scrape/selector.js';
import { withTargetLabels } from '../../../metrics-provider/sources/scrape/label-set.js';

const canaryByHash: TrackSelector = { namespace: 'llm', model: 'm', by: 'pod-template-hash', value: 'abc' };
const canaryBySvc: TrackSelector = { namespace: 'llm', model: 'm', by: 'service', value: 'vllm-canary' };
const series = {
  namespace: 'llm',
  rollouts_pod_template_hash: 'abc',
  service: 'vllm-canary',
  model_name: 'm',
  finished_reason: 'stop',
};

describe('seriesMatches', () => {
  it.each([
    ['the hash, namespace and model match', canaryByHash, series, true, true],
    ['the service matches', canaryBySvc, series, true, true],
    ['the hash differs', canaryByHash, { ...series, rollouts_pod_template_hash: 'def' }, true, false],
    ['the namespace differs', canaryByHash, { ...series, namespace: 'other' }, true, false],
    ['the model differs', canaryByHash, { ...series, model_name: 'other' }, true, false],
    [
      'the model differs but the metric has no model label',
      canaryByHash,
      { ...series, model_name: 'x' },
      false,
      true,
    ],
    ['the track label is missing', canaryByHash, { namespace: 'llm', model_name: 'm' }, true, false],
  ])('when %s then the answer is %s', (_what, track, labels, hasModel, expected) => {
    expect(seriesMatches(labels, track, DEFAULT_TRACK_LABELS, hasModel)).toBe(expected);
  });

  it.each([
    [{ finished_reason: ['stop'] }, true],
    [{ finished_reason: ['abort', 'error'] }, false],
    [{ finished_reason: ['abort', 'stop'] }, true],
    [{ status: ['5xx'] }, false],
    [{ status: [''] }, true], // as in PromQL, a missing label equals the empty value
  ])('when the extra match is %j then it is %s', (match, expected) => {
    expect(seriesMatches(series, canaryByHash, DEFAULT_TRACK_LABELS, true, match)).toBe(expected);
  });

  it('when label names are configured differently then those names are read', () => {
    const names = {
      namespace: 'kubernetes_namespace',
      podTemplateHash: 'hash',
      service: 'job',
      model: 'model',
    };
    const labels = { kubernetes_namespace: 'llm', hash: 'abc', model: 'm' };
    expect(seriesMatches(labels, canaryByHash, names, true)).toBe(true);
    expect(targetMatches({ kubernetes_namespace: 'llm', job: 'vllm-canary' }, canaryBySvc, names)).toBe(true);
  });
});

describe('withTargetLabels', () => {
  it('when the page exposes a label the target also sets then the target wins and the page value is exported_', () => {
    const out = withTargetLabels(
      { namespace: 'llm', instance: '10.0.0.1:8000' },
      { namespace: 'from-page', exported_namespace: 'older', model_name: 'm', empty: '' },
    );
    expect({ ...out }).toEqual({
      namespace: 'llm',
      exported_namespace: 'older',
      exported_exported_namespace: 'from-page',
      model_name: 'm',
      instance: '10.0.0.1:8000',
    });
  });
});
