// Seeded randomness for the emulator. Every request draws from its own streams, derived from (seed, request index,
// purpose), so request i sees the same numbers whatever happened to requests before it, and a change of one profile
// field (say the error rate) does not shift the latency draws of every later request.

/** What a stream is used for; each purpose gets an independent sequence for the same request. */
export type RandomPurpose = 'latency' | 'outcome' | 'answer';

const PURPOSE_CODES: Readonly<Record<RandomPurpose, number>> = { latency: 1, outcome: 2, answer: 3 };

/** A source of uniform numbers in [0, 1) plus the two distributions the profile speaks in. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller; one value per call, the twin is dropped to keep the sequence simple). */
  normal(): number;
  /** Log-normal with the given median (e^mu) and sigma of the underlying normal. */
  logNormal(median: number, sigma: number): number;
}

/** Mixes 32-bit words into one seed (the finaliser of MurmurHash3), so nearby inputs give unrelated seeds. */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold numbers beyond 32 bits in, so large seeds and indexes still matter.
    const low = part >>> 0;
    const high = Math.floor(part / 0x1_0000_0000) >>> 0;
    for (const word of [low, high]) {
      h = Math.imul(h ^ word, 0x85ebca6b);
      h = (h ^ (h >>> 13)) >>> 0;
      h = Math.imul(h, 0xc2b2ae35);
      h = (h ^ (h >>> 16)) >>> 0;
    }
  }
  return h >>> 0;
}

/** mulberry32: a tiny 32-bit generator, good enough for simulation and fully reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Wraps a uniform generator with the distributions the emulator needs. */
export function randomFrom(uniform: () => number): Random {
  const normal = (): number => {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const u1 = 1 - uniform();
    const u2 = uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  return {
    next: uniform,
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
  };
}

/** The stream of one purpose for one request: depends only on the seed, the request index and the purpose. */
export function requestRandom(seed: number, requestIndex: number, purpose: RandomPurpose): Random {
  return randomFrom(mulberry32(mixSeed(seed, requestIndex, PURPOSE_CODES[purpose])));
}
