import { describe, expect, it } from 'vitest';
import { htmlReport } from '../../demo/report/html-report.js';
import { lineChart, niceCeiling } from '../../demo/report/svg-chart.js';
import { Timeline } from '../../demo/timeline.js';

describe('demo report', () => {
  it.each([
    [0.7, 1],
    [1.4, 2],
    [3, 5],
    [0.042, 0.05],
    [120, 200],
  ])('when the largest value is %d then the axis ends at %d', (value, expected) => {
    expect(niceCeiling(value)).toBeCloseTo(expected, 10);
  });

  it('when a chart is drawn then each series is a path through its points and labels are escaped', () => {
    const svg = lineChart({
      title: 'p95 <e2e> & more',
      yLabel: 'seconds',
      series: [
        {
          name: 'canary',
          color: '#d1495b',
          points: [
            { x: 0, y: 1 },
            { x: 10, y: 2 },
          ],
        },
        { name: 'stable', color: '#2e86ab', points: [] },
      ],
      bands: [{ from: 0, to: 10, label: '10%' }],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('p95 &lt;e2e&gt; &amp; more');
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('>10%</text>');
  });

  it('when a rollout is reported then the outcome, the steps and one chart per check are in the page', () => {
    let now = 0;
    const timeline = new Timeline(() => now);
    const step = timeline.startStep(0, 10);
    now = 5000;
    timeline.record({
      step: 0,
      check: 'p95 e2e latency',
      verdict: 'fail',
      canary: 1.4,
      stable: 1,
      unit: 'seconds',
      reason: 'slow',
    });
    timeline.record({
      step: 0,
      check: 'error ratio',
      verdict: 'pass',
      canary: 0,
      stable: 0,
      unit: 'ratio',
      reason: 'ok',
    });
    timeline.endStep(step, 'Failed');
    const html = htmlReport({
      scenario: 'slow',
      description: 'd',
      outcome: 'aborted at step 1 because latency failed',
      timeline,
      generatedAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(html).toContain('<p class="outcome">aborted at step 1 because latency failed</p>');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('<td>1.4s</td><td>1s</td><td class="fail">fail</td>');
    expect(html).toContain('<td class="Failed">Failed</td>');
  });
});
