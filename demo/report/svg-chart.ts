// A small line chart as standalone SVG: canary and stable series of one figure over time, with the rollout's steps
// as shaded bands, so a reader sees when the canary diverged and which step stopped it.

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

export interface Band {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

export interface ChartOptions {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly bands?: readonly Band[];
  readonly formatY?: (y: number) => string;
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { top: 32, right: 16, bottom: 40, left: 64 };

export function lineChart(options: ChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 240;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const all = options.series.flatMap((s) => s.points);
  const bands = options.bands ?? [];
  const xMax = Math.max(1, ...all.map((p) => p.x), ...bands.map((b) => b.to));
  const yMaxRaw = Math.max(0, ...all.map((p) => p.y));
  const yMax = yMaxRaw === 0 ? 1 : niceCeiling(yMaxRaw * 1.1);
  const fmt = options.formatY ?? ((y: number) => String(round(y)));
  const sx = (x: number) => MARGIN.left + (x / xMax) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - (y / yMax) * plotH;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="13" font-weight="bold">${escapeXml(options.title)}</text>`,
  );
  bands.forEach((band, i) => {
    const x = sx(band.from);
    const w = Math.max(0, sx(band.to) - x);
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${MARGIN.top}" width="${w.toFixed(1)}" height="${plotH}" fill="${i % 2 === 0 ? '#f3f6fa' : '#e8eef5'}"/>`,
    );
    // A band too narrow for its label (the promotion step at the end) is left unlabelled.
    if (w >= 28) {
      parts.push(
        `<text x="${(x + 4).toFixed(1)}" y="${MARGIN.top + 12}" fill="#5a6b7d">${escapeXml(band.label)}</text>`,
      );
    }
  });
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#d0d7de" stroke-width="0.5"/>`,
      `<text x="${MARGIN.left - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end">${escapeXml(fmt(y))}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#57606a"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle">seconds since start</text>`,
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  for (let i = 0; i <= 5; i++) {
    const x = (xMax * i) / 5;
    parts.push(
      `<text x="${sx(x).toFixed(1)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${round(x)}</text>`,
    );
  }
  options.series.forEach((s, i) => {
    if (s.points.length > 0) {
      const d = s.points
        .map((p, j) => `${j === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
        .join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
      for (const p of s.points)
        parts.push(
          `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="2.5" fill="${s.color}"/>`,
        );
    }
    const lx = MARGIN.left + plotW - 150 + i * 75;
    parts.push(
      `<rect x="${lx}" y="8" width="10" height="10" fill="${s.color}"/>`,
      `<text x="${lx + 14}" y="17">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** The smallest 1, 2 or 5 times a power of ten at or above the value. */
export function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

function round(value: number): string {
  return Number(value.toPrecision(3)).toString();
}
