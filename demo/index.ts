// Public surface of the demo module.
export {
  generateLoad,
  type LoadOptions,
  type LoadResult,
  type LoadTarget,
  type TrackTally,
} from './load-generator.js';
export { runDemo, DEMO_TEMPLATES, type DemoOptions, type DemoResult } from './run-demo.js';
export { SCENARIOS, SCENARIO_NAMES, STABLE_PROFILE, type Scenario, type ScenarioName } from './scenarios.js';
