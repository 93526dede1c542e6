import { describe, expect, it } from 'vitest';
import { QualityStore, trackKey, type PairResult } from '../../../metrics-provider/quality/index.js';

const pair = (itemId: string, at: number): PairResult => ({
  itemId,
  weight: 1,
  at,
  canary: { outcome: 'answered', score: 1, reason: 'ok', latencyMs: 5 },
});
const key = (canary: string, dataset = 'default') => ({
  dataset,
  canary: `llm/${canary}`,
  stable: 'llm/stable',
});

describe('QualityStore', () => {
  it('when more pairs than the bound arrive then the oldest are dropped', () => {
    const store = new QualityStore({ maxPairsPerKey: 3 });
    store.add(key('a'), [pair('1', 1), pair('2', 2)]);
    store.add(key('a'), [pair('3', 3), pair('4', 4), pair('5', 5)]);
    expect(store.results(key('a')).map((p) => p.itemId)).toEqual(['3', '4', '5']);
  });

  it('when more keys than the bound are written then the least recently written key goes', () => {
    const store = new QualityStore({ maxKeys: 2 });
    store.add(key('a'), [pair('1', 1)]);
    store.add(key('b'), [pair('1', 1)]);
    store.add(key('a'), [pair('2', 2)]);
    store.add(key('c'), [pair('1', 1)]);
    expect(store.keyCount).toBe(2);
    expect(store.results(key('b'))).toEqual([]);
    expect(store.results(key('a'))).toHaveLength(2);
  });

  it.each([
    { when: 'the dataset differs', other: key('a', 'other') },
    { when: 'the stable version differs', other: { dataset: 'default', canary: 'llm/a', stable: 'llm/old' } },
    { when: 'no stable is named', other: { dataset: 'default', canary: 'llm/a' } },
  ])('when $when then the results are kept apart', ({ other }) => {
    const store = new QualityStore();
    store.add(key('a'), [pair('1', 1)]);
    expect(store.results(other)).toEqual([]);
  });

  it('when a start time is given then only pairs finished since then are returned', () => {
    const store = new QualityStore();
    store.add(key('a'), [pair('1', 100), pair('2', 200), pair('3', 300)]);
    expect(store.results(key('a'), 200).map((p) => p.itemId)).toEqual(['2', '3']);
  });

  it('when bounds are not positive integers then the constructor says which', () => {
    expect(() => new QualityStore({ maxPairsPerKey: 0 })).toThrow(
      'maxPairsPerKey must be an integer >= 1, got 0',
    );
    expect(() => new QualityStore({ maxKeys: 1.5 })).toThrow('maxKeys must be an integer >= 1, got 1.5');
  });

  it('when a track is named then its key is namespace/value', () => {
    expect(trackKey({ namespace: 'llm', value: '6d4f8b9c7' })).toBe('llm/6d4f8b9c7');
  });
});
