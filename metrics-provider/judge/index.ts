// Public surface of the judge: pure classification and scoring.
export * from './types.js';
export { classify, verdictOf } from './classify.js';
export { score, DEFAULT_THRESHOLDS } from './score.js';
export { formatFigure } from './format.js';
export { histogramQuantile, histogramCount } from './histogram-quantile.js';
export { compareHistograms, compareProportions, compareMeans } from './compare.js';
export type { HistogramComparisonOptions, ProportionCounts } from './compare.js';
export * as stats from './stats/index.js';
export { perLookAlpha } from './stats/looks.js';
