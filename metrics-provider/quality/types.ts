// The quality module's vocabulary: reference datasets, scorer specs, scores, and what one sampled request became.

export type Track = 'canary' | 'stable';
export const TRACKS: readonly Track[] = ['canary', 'stable'];

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** `{type, ...options}`: which scorer checks the answer and how (see scorers/). */
export interface ScorerSpec {
  readonly type: string;
  readonly [option: string]: unknown;
}

/** One reference prompt with what a right answer looks like. Exactly one of `messages` and `prompt` is set. */
export interface DatasetItem {
  readonly id: string;
  /** Chat form, sent to /v1/chat/completions. */
  readonly messages?: readonly ChatMessage[];
  /** Completion form, sent to /v1/completions. */
  readonly prompt?: string;
  /** What the scorer checks the answer against (a text, a number, a letter, an object...). */
  readonly expected?: unknown;
  /** A canonical correct answer as text, where `expected` is not itself one (e.g. a regex or a JSON Schema item). */
  readonly answer?: string;
  /** A plausible wrong answer (scored 0); the scorer makes one up when absent. */
  readonly wrong?: string;
  readonly scorer: ScorerSpec;
  /** How much the item counts in the mean score. @default 1 */
  readonly weight: number;
  readonly tags: readonly string[];
  /** max_tokens for this item; the sampler's setting when absent. */
  readonly maxTokens?: number;
  /** Where the item was defined: file and 1-based line. */
  readonly source: { readonly file: string; readonly line: number };
}

export interface Dataset {
  /** DNS-1123 label, as the quality check's `dataset` parameter names it. */
  readonly name: string;
  readonly description?: string;
  readonly file: string;
  readonly items: readonly DatasetItem[];
}

/** A scorer's verdict on one answer: 0 (wrong) to 1 (right), and why. */
export interface Score {
  readonly score: number;
  readonly reason: string;
}

/** Scores below this count as failed items. */
export const FAILED_BELOW = 0.5;

/**
 * What one request of a sample became. An errored or timed-out request has no score (it is not a 0); a cancelled one
 * was cut by the sample's deadline or shutdown and says nothing about the model.
 */
export type RequestOutcome =
  | {
      readonly outcome: 'answered';
      readonly score: number;
      readonly reason: string;
      readonly latencyMs: number;
    }
  | { readonly outcome: 'error'; readonly reason: string; readonly latencyMs: number }
  | { readonly outcome: 'timeout'; readonly reason: string; readonly latencyMs: number }
  | { readonly outcome: 'cancelled'; readonly reason: string };

/** Both versions' answers to the same item. `stable` is absent when the analysis names no stable version. */
export interface PairResult {
  readonly itemId: string;
  readonly weight: number;
  /** When the pair finished (epoch ms). */
  readonly at: number;
  readonly canary: RequestOutcome;
  readonly stable?: RequestOutcome;
}
