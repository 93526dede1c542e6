// The exact null distribution of Mann-Whitney's U for samples without ties: the number of arrangements of m and n
// observations with U = u follows the recurrence c(m, n, u) = c(m - 1, n, u - n) + c(m, n - 1, u) (Mann & Whitney,
// 1947). Computed with one row per m; fine for small samples (m·n up to a few thousand).

/** P(U >= u) under the null for sample sizes m and n, with no ties. */
export function mannWhitneyExactUpperTail(u: number, m: number, n: number): number {
  const counts = mannWhitneyNullCounts(m, n);
  let total = 0;
  let tail = 0;
  for (let k = 0; k < counts.length; k++) {
    total += counts[k]!;
    if (k >= u - 1e-9) tail += counts[k]!;
  }
  return tail / total;
}

/** c(m, n, u) for u = 0 .. m·n: how many of the C(m + n, m) orderings give U = u. */
export function mannWhitneyNullCounts(m: number, n: number): number[] {
  // row[j][u] = c(i, j, u) for the current i, built up from i = 0.
  let rows: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i++) {
    const next: number[][] = [[1]];
    for (let j = 1; j <= n; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      const left = rows[j]!; // c(i - 1, j, ·), shifted by j
      const down = next[j - 1]!; // c(i, j - 1, ·)
      for (let k = 0; k < left.length; k++) row[k + j]! += left[k]!;
      for (let k = 0; k < down.length; k++) row[k]! += down[k]!;
      next.push(row);
    }
    rows = next;
  }
  return rows[n]!;
}
