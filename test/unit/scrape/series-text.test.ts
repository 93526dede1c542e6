// The series-text cache: where a line's series text ends, what the cache keeps, and that a page parsed through it
// gives the same samples as without it while sharing one parsed series per text.
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../../metrics-provider/sources/scrape/exposition-parser.js';
import { retainedBytes } from '../../harness/heap.js';
import {
  parsedSeries,
  SeriesTextCache,
  seriesTextEnd,
} from '../../../metrics-provider/sources/scrape/series-text.js';

const PAGE = [
  '# TYPE lat histogram',
  'lat_bucket{model_name="m",le="1"} 3',
  'lat_bucket{model_name="m",le="+Inf"} 4',
  'lat_sum{model_name="m"} 2.5',
  'lat_count{model_name="m"} 4',
  'kv{model_name="m"} 0.25 1700000000000',
  '',
].join('\n');

describe('seriesTextEnd', () => {
  it.each([
    ['a name alone', 'up 1', 'up '],
    ['blanks before the labels', 'up \t{a="1"} 1', 'up \t{a="1"}'],
    ['a brace and an escaped quote inside a value', 'm{a="}\\"}",b="x"} 2', 'm{a="}\\"}",b="x"}'],
    ['no blank before the value', 'm{a="1"}5', 'm{a="1"}'],
    ['an unclosed label set', 'm{a="1" 5', 'm{a="1" 5'],
  ])('when the line has %s then the text ends after the series', (_what, line, text) => {
    expect(line.slice(0, seriesTextEnd(line))).toBe(text);
  });
});

describe('parsedSeries', () => {
  it('when the name is a histogram part then its labels other than le are kept as canonical text', () => {
    expect(parsedSeries('lat_bucket', { le: '1', b: '2', a: '1' }).histogramLabels).toBe(
      '[["a","1"],["b","2"]]',
    );
    expect(parsedSeries('lat_count', { b: '2', a: '1' }).histogramLabels).toBe('[["a","1"],["b","2"]]');
    expect(parsedSeries('kv', { a: '1' }).histogramLabels).toBe('');
  });
});

describe('SeriesTextCache', () => {
  it('when a page is parsed twice through it then the samples are equal and share one parsed series per text', () => {
    const cache = new SeriesTextCache(100);
    const first = parseExposition(PAGE, cache);
    expect(cache.size).toBe(5);
    const second = parseExposition(PAGE.replace(' 0.25 ', ' 0.5 '), cache);
    expect(cache.size).toBe(5);
    const plain = (page: typeof first) =>
      page.samples.map((s) => [s.name, { ...s.labels }, s.value, s.timestampMs]);
    expect(plain(first)).toEqual(plain(parseExposition(PAGE)));
    expect(second.samples.map((s) => s.value)).toEqual([3, 4, 2.5, 4, 0.5]);
    second.samples.forEach((s, i) => {
      expect(s.series).toBe(first.samples[i]!.series);
      expect(s.labels).toBe(first.samples[i]!.labels);
    });
  });

  it('when a cached series comes with a bad value or a cut histogram then the page still fails', () => {
    const cache = new SeriesTextCache(100);
    parseExposition(PAGE, cache);
    expect(() => parseExposition(PAGE.replace(' 0.25 ', ' x '), cache)).toThrow(
      'line 6: kv: "x" is not a number',
    );
    expect(() => parseExposition(PAGE.replace('lat_count{model_name="m"} 4\n', ''), cache)).toThrow(
      'histogram lat lacks its _count: the page is incomplete',
    );
  });

  it('when pages come and go then the cache keeps what they said, not the pages', () => {
    const cache = new SeriesTextCache(1000);
    // 20 pages of 1 MB, each with a series no other page has: kept as slices, they would keep 20 MB.
    const padding = `# ${'x'.repeat(2 ** 20)}\n`;
    const { bytes, kept } = retainedBytes(() => {
      let samples = 0;
      for (let i = 0; i < 20; i++) {
        const page = parseExposition(`${padding}requests{pod="p${i}",model_name="m"} ${i}\n`, cache);
        samples += page.samples.length;
      }
      return samples;
    });
    expect(kept).toBe(20);
    expect(cache.size).toBe(20);
    expect(bytes).toBeLessThan(2 ** 20);
  });

  it('when it holds maxEntries then it starts over instead of growing', () => {
    const cache = new SeriesTextCache(3);
    parseExposition(PAGE, cache);
    expect(cache.size).toBe(2); // full after three texts, cleared by the fourth, then the fifth
  });

  it.each([0, -2, 2.5])('when maxEntries is %s then it is refused', (max) => {
    expect(() => new SeriesTextCache(max)).toThrow(
      `SeriesTextCache maxEntries must be a positive integer, got ${max}`,
    );
  });
});
