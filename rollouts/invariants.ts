// Invariants of the generator's props, checked when the manifests are produced. Every message is exact and has a
// test (test/unit/rollouts/invariants.test.ts); all problems are reported at once.
import { templateDefinitions } from '../analysis-templates/index.js';
import { GO_DURATION, isDnsLabel, type SpecProblem } from './problems.js';
import { DEFAULT_TEMPLATES, DEFAULT_WEIGHTS, GENERATED_ARGS } from './steps.js';
import type { RolloutOptions } from './types.js';

/** `-canary` is the longest suffix the generator adds to the name; Service names are DNS labels (63). */
export const MAX_NAME_LENGTH = 63 - '-canary'.length;
const MODEL = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,252}$/;
const RESERVED_VLLM_FLAGS = ['--port', '--model', '--served-model-name', '--host'];

export function rolloutProblems(options: RolloutOptions): SpecProblem[] {
  return [
    ...identityProblems(options),
    ...workloadProblems(options),
    ...stepProblems(options),
    ...analysisProblems(options),
    ...options.routing.problems(),
  ];
}

function identityProblems(o: RolloutOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (!isDnsLabel(o.name, MAX_NAME_LENGTH))
    problems.push({
      path: 'name',
      message: `must be a DNS-1123 label of at most ${MAX_NAME_LENGTH} characters (the canary Service adds "-canary"), got "${o.name}"`,
    });
  if (!isDnsLabel(o.namespace))
    problems.push({ path: 'namespace', message: `must be a DNS-1123 label, got "${o.namespace}"` });
  if (!MODEL.test(o.model))
    problems.push({
      path: 'model',
      message: `must be a model id or path such as org/name, got "${o.model}"`,
    });
  const served = o.servedModelName;
  if (served !== undefined && !MODEL.test(served))
    problems.push({
      path: 'servedModelName',
      message: `may hold letters, digits and . _ : / - (it reaches the provider's queries), got "${served}"`,
    });
  return problems;
}

function workloadProblems(o: RolloutOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  if (o.image.trim() === '' || /\s/.test(o.image))
    problems.push({ path: 'image', message: `must be an image reference without spaces, got "${o.image}"` });
  const replicas = o.replicas ?? 2;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 1000)
    problems.push({ path: 'replicas', message: `must be a whole number from 1 to 1000, got ${replicas}` });
  const gpus = o.resources?.gpus ?? 1;
  if (!Number.isInteger(gpus) || gpus < 0 || gpus > 16)
    problems.push({
      path: 'resources.gpus',
      message: `must be a whole number from 0 to 16 (nvidia.com/gpu cannot be fractional), got ${gpus}`,
    });
  (o.vllmArgs ?? []).forEach((a, i) => {
    const flag = a.split('=', 1)[0] ?? a;
    if (RESERVED_VLLM_FLAGS.includes(flag))
      problems.push({
        path: `vllmArgs[${i}]`,
        message: `${flag} is set by the generator (port 8000, model, servedModelName): remove it`,
      });
  });
  return problems;
}

function stepProblems(o: RolloutOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const weights = o.steps?.weights ?? DEFAULT_WEIGHTS;
  if (weights.length === 0)
    problems.push({ path: 'steps.weights', message: 'must list at least one weight' });
  weights.forEach((w, i) => {
    if (!Number.isInteger(w) || w < 1 || w > 100)
      problems.push({
        path: `steps.weights[${i}]`,
        message: `must be a whole number from 1 to 100, got ${w}`,
      });
    else if (i > 0 && w <= (weights[i - 1] ?? 0))
      problems.push({
        path: `steps.weights[${i}]`,
        message: `weights must rise: ${w} follows ${weights[i - 1]}`,
      });
  });
  const pause = o.steps?.pause;
  if (pause !== undefined && !GO_DURATION.test(pause))
    problems.push({
      path: 'steps.pause',
      message: `must be a duration such as 30s, 5m or 1h, got "${pause}"`,
    });
  return problems;
}

function analysisProblems(o: RolloutOptions): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const mode = o.analysis?.mode ?? 'inline';
  const library = new Map(templateDefinitions().map((d) => [d.name, d]));
  const names = o.analysis?.templates ?? DEFAULT_TEMPLATES;
  if (mode !== 'none' && names.length === 0)
    problems.push({
      path: 'analysis.templates',
      message: 'must name at least one template (or set mode: none)',
    });
  names.forEach((name, i) => {
    if (!library.has(name))
      problems.push({
        path: `analysis.templates[${i}]`,
        message: `"${name}" is not a template of the library (${[...library.keys()].join(', ')})`,
      });
    else if (names.indexOf(name) !== i)
      problems.push({
        path: `analysis.templates[${i}]`,
        message: `"${name}" is listed twice (Argo refuses two metrics with the same name)`,
      });
  });
  const known = new Set(names.flatMap((n) => (library.get(n)?.args ?? []).map((a) => a.name)));
  for (const name of Object.keys(o.analysis?.args ?? {})) {
    if (GENERATED_ARGS.includes(name))
      problems.push({
        path: `analysis.args.${name}`,
        message: `is set by the generator (namespace, model and the pod-template-hashes): remove it`,
      });
    else if (!known.has(name))
      problems.push({
        path: `analysis.args.${name}`,
        message: `is not an arg of ${names.join(', ')}`,
      });
  }
  const start = o.analysis?.startingStep;
  if (start !== undefined && mode !== 'background')
    problems.push({ path: 'analysis.startingStep', message: 'only applies to background analysis' });
  else if (start !== undefined) {
    const weights = o.steps?.weights ?? DEFAULT_WEIGHTS;
    const stepCount =
      o.routing.leadingSteps().length +
      weights.length * 2 +
      o.routing.stepsAfterFirstWeight().length +
      (o.steps?.manualGate === true ? 1 : 0);
    if (!Number.isInteger(start) || start < 0 || start >= stepCount)
      problems.push({
        path: 'analysis.startingStep',
        message: `must be a step index from 0 to ${stepCount - 1} (the Rollout has ${stepCount} steps), got ${start}`,
      });
  }
  return problems;
}
