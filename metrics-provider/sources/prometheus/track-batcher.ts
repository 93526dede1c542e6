// Asks the canary's and the stable's question in one query. A check asks the same question of both tracks at the
// same moment (forBothTracks); the batcher holds each question until the promise jobs running now are done, then
// sends questions of one shape, for different tracks and under the same abort signal, as one query
// (renderTrackQuery) and hands each asker its own track's series. It is DataLoader's pattern: the checks stay
// written one track at a time, and a check costs half the round trips, which is most of the provider's own CPU.
import type { VectorSample } from './client.js';
import { renderTrackQuery, trackQueryShape, type QueryParts } from './promql.js';

export interface TrackAnswer {
  /** The query that was sent, shared by the tracks asked together. */
  readonly promql: string;
  /** The series of the asker's track. */
  readonly vector: VectorSample[];
}

/**
 * Tracks per query at most: a canary and its stable. Merging every track asked at one moment would save more
 * queries, but the query text, which is also the cache key, would then depend on which analyses happened to ask
 * together, and identical analyses would stop sharing cached answers.
 */
const TRACKS_PER_QUERY = 2;

type Run = (promql: string, signal?: AbortSignal) => Promise<VectorSample[]>;

interface Asker {
  readonly resolve: (answer: TrackAnswer) => void;
  readonly reject: (error: unknown) => void;
}

interface Pending extends Asker {
  readonly parts: QueryParts;
  readonly signal: AbortSignal | undefined;
}

/** One track's question in a batch, with everyone who asked exactly it. */
interface Arm {
  readonly parts: QueryParts;
  readonly askers: Asker[];
}

/** One query to send: arms for distinct tracks, of one shape, under one abort signal. */
interface Batch {
  readonly signal: AbortSignal | undefined;
  readonly arms: Map<string, Arm>;
}

export class TrackBatcher {
  private pending: Pending[] = [];

  constructor(private readonly run: Run) {}

  ask(parts: QueryParts, signal?: AbortSignal): Promise<TrackAnswer> {
    return new Promise((resolve, reject) => {
      // process.nextTick runs once the promise jobs queued now, and those they queue, have all run: a check's two
      // tracks may reach the source after different numbers of awaits, but before that. A microtask could run
      // between them; setImmediate would wait for the I/O callbacks of other requests.
      if (this.pending.length === 0) process.nextTick(() => this.flush());
      this.pending.push({ parts, signal, resolve, reject });
    });
  }

  private flush(): void {
    const pending = this.pending;
    this.pending = [];
    for (const batch of group(pending)) void this.send(batch);
  }

  private async send(batch: Batch): Promise<void> {
    const arms = [...batch.arms.values()].sort((a, b) => compare(a.parts.trackValue, b.parts.trackValue));
    const askers = arms.flatMap((arm) => arm.askers);
    try {
      // Sorted by track so that the same two tracks always give the same text, whichever asked first.
      const promql = renderTrackQuery(arms.map((arm) => arm.parts));
      const vector = await this.run(promql, batch.signal);
      for (const { parts, askers: own } of arms) {
        const mine = vector.filter((s) => (s.labels[parts.trackLabel] ?? '') === parts.trackValue);
        for (const asker of own) asker.resolve({ promql, vector: mine });
      }
    } catch (error) {
      for (const asker of askers) asker.reject(error);
    }
  }
}

/**
 * Puts the pending questions into batches: the same shape and abort signal, at most TRACKS_PER_QUERY tracks, and
 * one question per track (an identical question joins the arm already there; a different one for a track already
 * in the batch goes to another batch).
 */
function group(pending: readonly Pending[]): Batch[] {
  const open = new Map<string, Batch[]>();
  const all: Batch[] = [];
  const signalIds = new Map<AbortSignal | undefined, number>();
  for (const p of pending) {
    let signalId = signalIds.get(p.signal);
    if (signalId === undefined) signalIds.set(p.signal, (signalId = signalIds.size));
    const key = `${signalId} ${trackQueryShape(p.parts)}`;
    let candidates = open.get(key);
    if (candidates === undefined) open.set(key, (candidates = []));
    const asker = { resolve: p.resolve, reject: p.reject };
    const same = candidates
      .map((b) => b.arms.get(p.parts.trackValue))
      .find((arm) => arm?.parts.expression === p.parts.expression);
    if (same !== undefined) {
      same.askers.push(asker);
      continue;
    }
    let batch = candidates.find((b) => b.arms.size < TRACKS_PER_QUERY && !b.arms.has(p.parts.trackValue));
    if (batch === undefined) {
      batch = { signal: p.signal, arms: new Map() };
      candidates.push(batch);
      all.push(batch);
    }
    batch.arms.set(p.parts.trackValue, { parts: p.parts, askers: [asker] });
  }
  return all;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
