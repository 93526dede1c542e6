// Public surface of the judge: pure classification and scoring.
export * from './types.js';
export { classify, verdictOf } from './classify.js';
export { score, DEFAULT_THRESHOLDS } from './score.js';
export { formatFigure } from './format.js';
export { histogramQuantile, histogramCount } from './histogram-quantile.js';
