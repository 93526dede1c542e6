// Spending the run's error rate across its looks. Argo acts on each measurement, so a run of K looks fails a good
// canary if any one look does. Šidák's level α_look = 1 - (1 - α)^(1/K) keeps that below α for independent looks,
// and for positively correlated ones too (overlapping windows; Slepian's inequality), whatever look this is — the
// provider does not know. See docs/statistics.md.

/** The per-look one-sided level for a run-wide `confidence` (e.g. 0.99) over `looks` measurements. */
export function perLookAlpha(confidence: number, looks: number): number {
  const k = Number.isFinite(looks) && looks >= 1 ? Math.floor(looks) : 1;
  const c = Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0.99;
  return -Math.expm1(Math.log(c) / k);
}
