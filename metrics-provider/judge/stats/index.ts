// Statistical tests of "canary worse than stable", pure functions over what vLLM exposes (see docs/statistics.md).
export { erfc, normalCdf, normalUpperTail, normalQuantile } from './normal.js';
export { histogramQuantileLogNormal } from './quantile-lognormal.js';
export { logGamma, logChoose, regularizedBeta } from './special.js';
export { studentTUpperTail } from './student-t.js';
export { mannWhitneyBinned, type MannWhitneyResult } from './mann-whitney-binned.js';
export { mannWhitneyExactUpperTail, mannWhitneyNullCounts } from './mann-whitney-exact.js';
export { mannWhitneyRaw } from './mann-whitney-raw.js';
export { fisherExact, type ProportionsResult } from './fisher.js';
export { welchTTest, summaryFromSums, type SampleSummary, type MeansResult } from './welch.js';
export { perLookAlpha } from './looks.js';
export { alignBuckets, type AlignedCounts } from './align-buckets.js';
