// The answer book the vLLM emulator answers from: each item's prompt as the emulator looks it up, an answer the
// item's scorer scores 1 and one it scores 0.
import { defaultScorers, type ScorerRegistry } from './scorers/registry.js';
import type { Dataset, DatasetItem } from './types.js';

export interface AnswerBookEntry {
  readonly prompt: string;
  readonly correct: string;
  readonly wrong: string;
}

/** The text a server looks up: the last user message (chat) or the prompt (completion), trimmed. */
export function lookupText(item: Pick<DatasetItem, 'messages' | 'prompt'>): string {
  if (item.prompt !== undefined) return item.prompt.trim();
  const users = (item.messages ?? []).filter((m) => m.role === 'user');
  return (users.at(-1)?.content ?? '').trim();
}

/** Throws naming the items that have no printable correct answer (they need `answer:`). */
export function answerBookFromDataset(
  dataset: Dataset,
  scorers: ScorerRegistry = defaultScorers,
): { items: AnswerBookEntry[] } {
  const missing: string[] = [];
  const items: AnswerBookEntry[] = [];
  for (const item of dataset.items) {
    const correct = scorers.correctAnswer(item);
    if (correct === undefined) {
      missing.push(`${item.id} (${item.source.file}:${item.source.line})`);
      continue;
    }
    items.push({ prompt: lookupText(item), correct, wrong: scorers.wrongAnswer(item) });
  }
  if (missing.length > 0) {
    throw new Error(
      `dataset ${dataset.name}: no printable correct answer for ${missing.join(', ')}; add an answer field`,
    );
  }
  return { items };
}
