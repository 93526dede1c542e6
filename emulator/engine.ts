// One request's life in the emulated engine: queue, scheduling, prefill, decode, and the metrics it leaves behind.
// All figures are virtual seconds computed from the draws (not measured), so timer jitter under a large timeScale
// never leaks into the histograms; only waiting for a free slot is measured, because it depends on other requests.
import type { Logger } from 'pino';
import type { AnswerIndex } from './answers.js';
import { fillerText, splitTokens } from './answers.js';
import type { VirtualClock } from './clock.js';
import {
  drawLatency,
  drawOutcome,
  kvCacheUsage,
  preemptionProbability,
  type FinishedReason,
} from './latency.js';
import type { EmulatorMetrics } from './metrics.js';
import { ApiError, type GenerationRequest } from './openai-api.js';
import type { Profile } from './profile.js';
import { Scheduler } from './scheduler.js';

export interface EngineOptions {
  readonly profile: () => Profile;
  readonly seed: number;
  readonly clock: VirtualClock;
  readonly metrics: EmulatorMetrics;
  readonly answers: AnswerIndex;
  readonly logger?: Logger;
}

export interface GenerationResult {
  readonly requestIndex: number;
  readonly text: string;
  readonly finishedReason: FinishedReason;
  readonly completionTokens: number;
  readonly promptTokens: number;
}

/** Called for each output token as it is produced (streaming answers write it out at once). */
export type TokenListener = (token: string) => void;

export class Engine {
  private nextIndex = 0;
  readonly scheduler: Scheduler;

  constructor(private readonly options: EngineOptions) {
    this.scheduler = new Scheduler(
      () => options.profile().maxRunning,
      ({ running, waiting }) =>
        options.metrics.setLoad(running, waiting, kvCacheUsage(options.profile(), running)),
    );
  }

  /** Generation requests received so far (their indexes are 0 .. count-1). */
  requestCount(): number {
    return this.nextIndex;
  }

  /** Re-applies the profile to the scheduler and gauges after a change (a larger maxRunning admits waiters). */
  profileChanged(): void {
    const { running, waiting } = this.scheduler.state();
    this.options.metrics.setLoad(running, waiting, kvCacheUsage(this.options.profile(), running));
    this.scheduler.dispatch();
  }

  /**
   * Runs a request to its end. Throws ApiError(500) for an emulated engine error, and the signal's reason when the
   * client goes away or the server closes (the request then counts as aborted, as vLLM counts a disconnect).
   */
  async generate(
    request: GenerationRequest,
    signal: AbortSignal,
    onToken?: TokenListener,
  ): Promise<GenerationResult> {
    const { seed, clock, metrics, answers } = this.options;
    const requestIndex = this.nextIndex++;
    // One profile for the whole request: a PATCH in the middle affects later requests only.
    const profile = this.options.profile();
    const outcome = drawOutcome(profile, seed, requestIndex);
    const answer = answers.choose(request.lookupText, profile.accuracy, seed, requestIndex);
    const answerTokens = answer.text === undefined ? undefined : splitTokens(answer.text);
    const latencyInput = {
      seed,
      requestIndex,
      ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
      ...(answerTokens === undefined ? {} : { outputTokens: answerTokens.length }),
    };
    const { queueWaitSeconds } = drawLatency(profile, latencyInput);

    const ticket = this.scheduler.arrive();
    let emitted = 0;
    try {
      await clock.sleep(queueWaitSeconds, signal);
      const slotRequested = clock.now();
      const admission = await ticket.admit(signal);
      const queueSeconds = queueWaitSeconds + (admission.queued ? clock.now() - slotRequested : 0);
      const draw = drawLatency(profile, { ...latencyInput, running: admission.othersRunning });
      const kvUsage = kvCacheUsage(profile, admission.othersRunning + 1);
      const preempted = outcome.preemptionDraw < preemptionProbability(profile, kvUsage);

      const prefillSeconds = (outcome.stalled ? profile.stallSeconds : 0) + draw.ttftSeconds;
      let cursor = clock.now() + prefillSeconds;
      await clock.sleepUntil(cursor, signal);
      if (outcome.error) {
        throw new ApiError(500, 'InternalServerError', `emulated engine error in request ${requestIndex}`);
      }

      const tokens = (answerTokens ?? splitTokens(fillerText(seed, requestIndex, draw.outputTokens))).slice(
        0,
        draw.outputTokens,
      );
      const stopAt = outcome.aborted
        ? Math.max(1, Math.floor(outcome.abortAfterFraction * tokens.length))
        : tokens.length;
      // A preemption throws the request's KV blocks away half way; recomputing them costs another prefill.
      const preemptAt = preempted ? Math.max(1, Math.floor(tokens.length / 2)) : -1;
      const gaps: number[] = [];
      let decodeSeconds = 0;
      onToken?.(tokens[0] ?? '');
      emitted = 1;
      for (let index = 1; index < stopAt; index += 1) {
        let gap = draw.interTokenSeconds[index - 1] ?? 0;
        if (index === preemptAt) {
          gap += draw.ttftSeconds;
          metrics.preempted();
        }
        cursor += gap;
        await clock.sleepUntil(cursor, signal);
        gaps.push(gap);
        decodeSeconds += gap;
        onToken?.(tokens[index] ?? '');
        emitted += 1;
      }

      const finishedReason: FinishedReason = outcome.aborted ? 'abort' : draw.finishedReason;
      metrics.finished({
        finishedReason,
        queueSeconds,
        ttftSeconds: queueSeconds + prefillSeconds,
        prefillSeconds,
        decodeSeconds,
        e2eSeconds: queueSeconds + prefillSeconds + decodeSeconds,
        interTokenSeconds: gaps,
        promptTokens: request.promptTokens,
        generationTokens: emitted,
      });
      this.options.logger?.debug(
        { requestIndex, finishedReason, tokens: emitted, answer: answer.source },
        'request finished',
      );
      return {
        requestIndex,
        text: tokens.slice(0, emitted).join(''),
        finishedReason,
        completionTokens: emitted,
        promptTokens: request.promptTokens,
      };
    } catch (error) {
      if (signal.aborted) {
        // A disconnect is an abort to vLLM; its partial timings are not recorded, only the count and tokens.
        metrics.aborted(request.promptTokens, emitted);
        this.options.logger?.debug(
          { requestIndex, tokens: emitted },
          'request aborted by the client or shutdown',
        );
      }
      throw error;
    } finally {
      ticket.finish();
    }
  }
}
