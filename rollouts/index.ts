// Public surface of the Rollout generator (and its lint, under ./lint): typed props, routing factories, the
// manifest producer, the spec file, and YAML output.
export * as routing from './routing/index.js';
export type { Routing, RouterName, RoutingContext } from './routing/index.js';
export { ROUTER_NAMES } from './routing/index.js';
export { generateManifests, manifestsToYaml, fileNameOf, routingContext, GENERATED_BY } from './generate.js';
export { rolloutProblems, MAX_NAME_LENGTH } from './invariants.js';
export { RolloutSpecError, type SpecProblem } from './problems.js';
export {
  loadSpecFile,
  readSpecFile,
  specSchemaProblems,
  specToOptions,
  pathSegments,
  SpecFileError,
  SPEC_SCHEMA,
  type LoadedSpec,
  type ReadSpec,
  type SpecFile,
} from './spec-file.js';
export { DEFAULT_WEIGHTS, DEFAULT_TEMPLATES, GENERATED_ARGS } from './steps.js';
export {
  VLLM_PORT,
  type AnalysisOptions,
  type HeaderRouteOptions,
  type KubeObject,
  type PodMonitorOptions,
  type ResourceOptions,
  type RolloutOptions,
  type StepsOptions,
} from './types.js';
export * as lint from './lint/index.js';
