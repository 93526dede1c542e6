import { describe, expect, it } from 'vitest';
import { Interner, labelSet } from '../../../metrics-provider/sources/scrape/label-set.js';
import { retainedBytes } from '../../harness/heap.js';

describe('labelSet', () => {
  it('when pairs are given then the set has them in order, later pairs of a name replacing earlier ones in place', () => {
    const labels = labelSet([
      ['b', '1'],
      ['a', '2'],
      ['b', '3'],
    ]);
    expect(Object.entries(labels)).toEqual([
      ['b', '3'],
      ['a', '2'],
    ]);
  });

  it('when a label is called __proto__ or constructor then it is an ordinary label of a set without prototype', () => {
    const labels = labelSet([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
    expect(Object.getPrototypeOf(labels)).toBeNull();
    expect(Object.keys(labels)).toEqual(['__proto__', 'constructor']);
    expect(labels.__proto__).toBe('x');
    expect(labels.toString).toBeUndefined();
  });
});

describe('Interner', () => {
  it('when an equal string is interned again then it is kept once', () => {
    const interner = new Interner(10);
    const first = ['model', 'name'].join('_');
    const again = ['model', 'name'].join('_');
    expect(interner.intern(first)).toBe(first);
    expect(interner.intern(again)).toBe(first);
    expect(interner.size).toBe(1);
  });

  it('when a string kept is a piece of a longer one then the longer one is not kept with it', () => {
    const interner = new Interner(100);
    // Pieces of 20 texts of 1 MB: kept as slices, they would keep 20 MB.
    const { bytes, kept } = retainedBytes(() => {
      const pieces: string[] = [];
      for (let i = 0; i < 20; i++) {
        const text = `model_name_${i}${'x'.repeat(2 ** 20)}`;
        pieces.push(interner.intern(text.slice(0, text.indexOf('x'))));
      }
      return pieces;
    });
    expect(kept).toEqual(Array.from({ length: 20 }, (_, i) => `model_name_${i}`));
    expect(bytes).toBeLessThan(2 ** 20);
  });

  it('when it holds maxStrings then it starts over instead of growing', () => {
    const interner = new Interner(3);
    for (const s of ['a', 'b', 'c']) interner.intern(s);
    expect(interner.size).toBe(3);
    interner.intern('d');
    expect(interner.size).toBe(1);
    expect(interner.intern('a')).toBe('a');
    expect(interner.size).toBe(2);
  });

  it.each([0, -1, 1.5, Number.NaN])('when maxStrings is %s then it is refused', (max) => {
    expect(() => new Interner(max)).toThrow(`Interner maxStrings must be a positive integer, got ${max}`);
  });
});
