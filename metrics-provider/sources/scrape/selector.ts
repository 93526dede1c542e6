// Which series and targets belong to a track: the same matchers the Prometheus source renders into PromQL
// (namespace, pod-template-hash or service, model name, extra label matches), applied to label sets directly.
// As in PromQL, a missing label matches the empty value only.
import type { TrackLabels } from '../prometheus/index.js';
import type { LabelMatch, TrackSelector } from '../metric-source.js';
import type { Labels } from './label-set.js';

/** The label that tells this track apart: the pod-template-hash label or the service label. */
export function trackLabelName(track: TrackSelector, names: TrackLabels): string {
  return track.by === 'service' ? names.service : names.podTemplateHash;
}

/** Whether a series' labels satisfy the track selector and the extra matches. */
export function seriesMatches(
  labels: Labels,
  track: TrackSelector,
  names: TrackLabels,
  hasModelLabel: boolean,
  match: LabelMatch = {},
): boolean {
  if (!targetMatches(labels, track, names)) return false;
  if (hasModelLabel && value(labels, names.model) !== track.model) return false;
  for (const [name, allowed] of Object.entries(match)) {
    if (!allowed.includes(value(labels, name))) return false;
  }
  return true;
}

/** Whether a target's labels put it in the track (namespace and track label; the model is a series label). */
export function targetMatches(labels: Labels, track: TrackSelector, names: TrackLabels): boolean {
  return (
    value(labels, names.namespace) === track.namespace &&
    value(labels, trackLabelName(track, names)) === track.value
  );
}

function value(labels: Labels, name: string): string {
  return Object.hasOwn(labels, name) ? labels[name]! : '';
}
