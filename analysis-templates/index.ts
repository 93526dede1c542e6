// Public surface of the AnalysisTemplate library: the templates' definitions, their rendering to Argo manifests and
// YAML (committed under rendered/, and for the Helm chart), and Argo's arg substitution for tests and tools.
export {
  templateDefinitions,
  templateNames,
  renderTemplate,
  renderTemplates,
  renderTemplatesYaml,
  renderedFiles,
  templateToYaml,
  GENERATED_HEADER,
} from './render.js';
export {
  resolveRenderOptions,
  RenderOptionsError,
  DEFAULT_PROVIDER_URL,
  DEFAULT_PROMETHEUS_URL,
  DEFAULT_TOKEN_SECRET,
  DEFAULT_TOKEN_KEY,
} from './options.js';
export {
  fillTemplateArgs,
  mergeArgs,
  substituteArgs,
  webRequestOf,
  ArgResolutionError,
  type SecretValues,
  type WebRequest,
} from './substitute.js';
export { API_TOKEN_ARG_NAME } from './args.js';
export { PASS_CONDITION, FAIL_CONDITION, VERDICT_JSON_PATH } from './definitions/web.js';
export type {
  AnalysisTemplateManifest,
  ArgSpec,
  BearerAuth,
  MetricSpec,
  MetricTiming,
  ProviderSpec,
  RenderOptions,
  ResolvedRenderOptions,
  TemplateArg,
  TemplateDefinition,
  TemplateKind,
  WebProviderSpec,
  PrometheusProviderSpec,
} from './types.js';
