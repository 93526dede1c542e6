import { describe, expect, it } from 'vitest';
import { ExpositionError, parseExposition } from '../../../metrics-provider/sources/scrape/index.js';

const plain = (labels: Readonly<Record<string, string>>) => ({ ...labels });

describe('parseExposition', () => {
  it('when a page has HELP, TYPE, comments and blank lines then only samples come out, with their types', () => {
    const page = parseExposition(
      [
        '# HELP vllm:num_requests_running Number of requests in model execution batches.',
        '# TYPE vllm:num_requests_running gauge',
        '# a free comment',
        '',
        'vllm:num_requests_running{engine="0",model_name="m"} 3.0',
        '   ',
        '# TYPE http_requests_total counter',
        'http_requests_total{handler="/v1/completions",method="POST",status="2xx"} 42',
        '',
      ].join('\n'),
    );
    expect(page.samples.map((s) => [s.name, plain(s.labels), s.value])).toEqual([
      ['vllm:num_requests_running', { engine: '0', model_name: 'm' }, 3],
      ['http_requests_total', { handler: '/v1/completions', method: 'POST', status: '2xx' }, 42],
    ]);
    expect(page.types.get('vllm:num_requests_running')).toBe('gauge');
    expect(page.types.get('http_requests_total')).toBe('counter');
  });

  it.each([
    ['a backslash', String.raw`m{a="C:\\dir"} 1`, 'C:\\dir'],
    ['a quote', String.raw`m{a="say \"hi\""} 1`, 'say "hi"'],
    ['a newline', String.raw`m{a="two\nlines"} 1`, 'two\nlines'],
    ['an unknown escape, kept as written (as Prometheus does)', String.raw`m{a="tab\there"} 1`, 'tab\\there'],
    ['a comma and braces inside the value', 'm{a="x,y}z"} 1', 'x,y}z'],
    ['UTF-8 text', 'm{a="modèle—7B"} 1', 'modèle—7B'],
  ])('when a label value holds %s then it is unescaped exactly', (_what, line, expected) => {
    expect(parseExposition(`${line}\n`).samples[0]!.labels.a).toBe(expected);
  });

  it.each([
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-Inf', Number.NEGATIVE_INFINITY],
    ['Inf', Number.POSITIVE_INFINITY],
    ['NaN', Number.NaN],
    ['nan', Number.NaN],
    ['1e-3', 0.001],
    ['-2.5E+2', -250],
    ['.5', 0.5],
    ['7.', 7],
  ])('when the value is %s then it parses as Go does', (text, expected) => {
    expect(parseExposition(`m ${text}\n`).samples[0]!.value).toBe(expected);
  });

  it('when a sample carries a timestamp then it is kept in milliseconds', () => {
    const s = parseExposition('m{a="b"} 1 1700000000123\nn 2 -5\n').samples;
    expect(s.map((x) => x.timestampMs)).toEqual([1700000000123, -5]);
  });

  it('when tokens are separated by tabs and a label set ends with a comma then the line is still valid', () => {
    const s = parseExposition('m\t{ a = "1" , b="2", }\t5\t10\n').samples[0]!;
    expect([plain(s.labels), s.value, s.timestampMs]).toEqual([{ a: '1', b: '2' }, 5, 10]);
  });

  it('when a label is called __proto__ then it is an ordinary label', () => {
    const s = parseExposition('m{__proto__="x"} 1\n').samples[0]!;
    expect(Object.keys(s.labels)).toEqual(['__proto__']);
    expect(s.labels.__proto__).toBe('x');
  });

  it('when a whole histogram is on the page then buckets, sum and count come out in order', () => {
    const page = parseExposition(
      [
        '# HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.',
        '# TYPE vllm:e2e_request_latency_seconds histogram',
        'vllm:e2e_request_latency_seconds_bucket{le="0.3",model_name="m"} 1',
        'vllm:e2e_request_latency_seconds_bucket{le="0.5",model_name="m"} 4',
        'vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="m"} 9',
        'vllm:e2e_request_latency_seconds_sum{model_name="m"} 6.25',
        'vllm:e2e_request_latency_seconds_count{model_name="m"} 9',
        '',
      ].join('\n'),
    );
    expect(
      page.samples.map((s) => [s.name.replace('vllm:e2e_request_latency_seconds', ''), s.labels.le, s.value]),
    ).toEqual([
      ['_bucket', '0.3', 1],
      ['_bucket', '0.5', 4],
      ['_bucket', '+Inf', 9],
      ['_sum', undefined, 6.25],
      ['_count', undefined, 9],
    ]);
  });

  it.each([
    ['a value that is not a number', 'm 12abc', 'line 3: m: "12abc" is not a number'],
    ['no value', 'm{a="b"}', 'line 3: m: the sample has no value'],
    ['an unterminated label value', 'm{a="b} 1', 'the value of a has no closing quote'],
    ['a missing comma between labels', 'm{a="b" c="d"} 1', 'expected "," or "}" after the value of a'],
    ['an unquoted label value', 'm{a=b} 1', 'expected "\\""'],
    ['a duplicate label', 'm{a="1",a="2"} 1', 'duplicate label a'],
    ['a bad metric name', '1m 1', 'expected a metric name'],
    ['text after the timestamp', 'm 1 2 3', 'unexpected text after the timestamp'],
    ['a fractional timestamp', 'm 1 2.5', '"2.5" is not a timestamp'],
    ['an unknown TYPE', '# TYPE m gauges', 'TYPE m: unknown type "gauges"'],
    ['a HELP line without a name', '# HELP', 'HELP line without a valid metric name'],
    ['the reserved __name__ label', 'm{__name__="x"} 1', 'the label __name__ is reserved'],
  ])('when a line has %s then parsing fails naming the line', (_what, line, message) => {
    const run = () => parseExposition(`# TYPE ok gauge\nok 1\n${line}\n`);
    expect(run).toThrow(ExpositionError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect((error as ExpositionError).line).toBe(3);
    }
  });

  describe('a page cut short is refused, never half-ingested', () => {
    const whole = [
      '# TYPE vllm:time_to_first_token_seconds histogram',
      'vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="m"} 5',
      'vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="m"} 8',
      'vllm:time_to_first_token_seconds_sum{model_name="m"} 1.5',
      'vllm:time_to_first_token_seconds_count{model_name="m"} 8',
      '# TYPE vllm:num_requests_waiting gauge',
      'vllm:num_requests_waiting{model_name="m"} 12',
      '',
    ].join('\n');

    it('when the whole page is there then it parses', () => {
      expect(parseExposition(whole).samples).toHaveLength(5);
    });

    it('when the page stops in the middle of a line, even on a valid number, then it fails', () => {
      // "12" cut to "1" would be a valid but wrong sample; the missing final newline gives it away.
      expect(() => parseExposition(whole.slice(0, -2))).toThrow('cut short');
      expect(() => parseExposition(whole.slice(0, whole.length / 2))).toThrow(ExpositionError);
    });

    it('when the page stops between two lines inside a histogram then the missing +Inf bucket or count fails it', () => {
      const lines = whole.split('\n');
      expect(() => parseExposition(`${lines.slice(0, 2).join('\n')}\n`)).toThrow(
        'histogram vllm:time_to_first_token_seconds lacks its +Inf bucket and its _count',
      );
      expect(() => parseExposition(`${lines.slice(0, 4).join('\n')}\n`)).toThrow('lacks its _count');
    });

    it('when the page is empty then it parses to nothing', () => {
      expect(parseExposition('').samples).toEqual([]);
    });
  });
});
