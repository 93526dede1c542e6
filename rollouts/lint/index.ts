// Public surface of lint: validate manifests against the upstream schemas and check what schemas cannot.
export {
  lintFiles,
  lintText,
  lintObjects,
  lintLoaded,
  RULES,
  type LintResult,
  type LintOptions,
} from './lint.js';
export { formatFinding, type Finding, type Severity } from './findings.js';
export { loadFiles, loadText, type LintObject, type Loaded } from './load.js';
export { packagedSchemaSet, crdFolderSchemaSet, closeObjects, type SchemaSet } from './schema-set.js';
export type { SchemaProblem } from './schema-problems.js';
export { podTemplateProblems, coreValidator } from './core-schemas.js';
export {
  extractSchemas,
  serialize,
  EXTRACTED_FILE,
  KINDS,
  SOURCES,
  type ExtractedSchemas,
} from './schemas/extract.js';
