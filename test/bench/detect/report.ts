// The benchmark's outputs: a markdown table and a hand-written SVG chart of detection probability against time.
import { METHOD_LABELS, METHODS, type MethodName } from './methods.js';
import type { MethodSummary, ScenarioSummary } from './simulate.js';
import { wilson } from './wilson.js';

export interface Row {
  readonly scenario: string;
  readonly weight: number;
  readonly aa: boolean;
  readonly summary: ScenarioSummary;
}

export function percentWithInterval(s: MethodSummary): string {
  const w = wilson(s.failed, s.trials);
  const pct = (x: number) => (100 * x).toFixed(1);
  return `${pct(w.estimate)}% [${pct(w.low)}, ${pct(w.high)}]`;
}

export function markdownTable(rows: readonly Row[]): string {
  const header = [
    '| scenario | canary weight | what is counted | ' +
      METHODS.map((m) => METHOD_LABELS[m]).join(' | ') +
      ' |',
    '|---|---|---|' + METHODS.map(() => '---|').join(''),
  ];
  const lines = rows.map((row) => {
    const cells = METHODS.map((m) => {
      const s = row.summary[m];
      const time = row.aa || s.medianLook === undefined ? '' : `, median ${s.medianLook} min`;
      return `${percentWithInterval(s)}${time}`;
    });
    const counted = row.aa ? 'false-fail rate' : 'detection within 5 looks';
    return `| ${row.scenario} | ${Math.round(row.weight * 100)}% | ${counted} | ${cells.join(' | ')} |`;
  });
  return [...header, ...lines].join('\n');
}

export interface Panel {
  readonly title: string;
  readonly summary: ScenarioSummary;
}

const COLOURS: Readonly<Record<MethodName, string>> = {
  fixed: '#d62728',
  oracle: '#7f7f7f',
  judge: '#1f77b4',
};

/** Cumulative probability of a fail by each minute, one line per method, one panel per scenario. */
export function detectionChart(panels: readonly Panel[], looks: number): string {
  const width = 420;
  const height = 300;
  const margin = { left: 56, right: 16, top: 36, bottom: 48 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const legendH = 24 * METHODS.length + 8;
  const totalW = width * panels.length;
  const totalH = height + legendH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalW}" height="${totalH}" viewBox="0 0 ${totalW} ${totalH}" font-family="sans-serif" font-size="12">`,
    `<rect width="${totalW}" height="${totalH}" fill="#ffffff"/>`,
  ];
  panels.forEach((panel, index) => {
    const ox = index * width + margin.left;
    const oy = margin.top;
    const x = (minute: number) => ox + (minute / looks) * plotW;
    const y = (p: number) => oy + (1 - p) * plotH;
    out.push(
      `<text x="${index * width + width / 2}" y="20" text-anchor="middle" font-weight="bold">${escape(panel.title)}</text>`,
    );
    for (let i = 0; i <= 4; i++) {
      const p = i / 4;
      out.push(`<line x1="${ox}" y1="${y(p)}" x2="${ox + plotW}" y2="${y(p)}" stroke="#e0e0e0"/>`);
      out.push(`<text x="${ox - 6}" y="${y(p) + 4}" text-anchor="end">${Math.round(p * 100)}%</text>`);
    }
    for (let m = 0; m <= looks; m++) {
      out.push(`<text x="${x(m)}" y="${oy + plotH + 16}" text-anchor="middle">${m}</text>`);
    }
    out.push(`<line x1="${ox}" y1="${oy + plotH}" x2="${ox + plotW}" y2="${oy + plotH}" stroke="#333"/>`);
    out.push(`<line x1="${ox}" y1="${oy}" x2="${ox}" y2="${oy + plotH}" stroke="#333"/>`);
    out.push(
      `<text x="${ox + plotW / 2}" y="${oy + plotH + 36}" text-anchor="middle">minutes since the canary started (one look a minute)</text>`,
    );
    out.push(
      `<text x="${index * width + 14}" y="${oy + plotH / 2}" text-anchor="middle" transform="rotate(-90 ${index * width + 14} ${oy + plotH / 2})">P(canary failed)</text>`,
    );
    for (const method of METHODS) {
      const s = panel.summary[method];
      const points = [[0, 0], ...s.failedBy.map((f, i) => [i + 1, f / s.trials])] as [number, number][];
      const path = points.map(([m, p]) => `${x(m).toFixed(1)},${y(p).toFixed(1)}`).join(' ');
      const dash = method === 'oracle' ? ' stroke-dasharray="6 4"' : '';
      out.push(
        `<polyline points="${path}" fill="none" stroke="${COLOURS[method]}" stroke-width="2.5"${dash}/>`,
      );
      for (const [m, p] of points.slice(1)) {
        out.push(`<circle cx="${x(m).toFixed(1)}" cy="${y(p).toFixed(1)}" r="3" fill="${COLOURS[method]}"/>`);
      }
    }
  });
  METHODS.forEach((method, k) => {
    const ly = height + 12 + k * 24;
    const dash = method === 'oracle' ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<line x1="${margin.left}" y1="${ly}" x2="${margin.left + 30}" y2="${ly}" stroke="${COLOURS[method]}" stroke-width="2.5"${dash}/>`,
    );
    out.push(`<text x="${margin.left + 38}" y="${ly + 4}">${escape(METHOD_LABELS[method])}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `content` placed between the markers in `document`, or appended with them when they are missing. */
export function replaceSection(document: string, start: string, end: string, content: string): string {
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  const block = `${start}\n${content.trimEnd()}\n${end}`;
  if (from >= 0 && to > from) return document.slice(0, from) + block + document.slice(to + end.length);
  return `${document.trimEnd()}\n\n${block}\n`;
}
