// Public surface of the demo module.
export {
  generateLoad,
  type LoadOptions,
  type LoadResult,
  type LoadTarget,
  type TrackTally,
} from './load-generator.js';
