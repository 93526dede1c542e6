// Figures as people read them in reasons: "1.42s", "3.1%", "0.97".

export function formatFigure(value: number | undefined, unit: string): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  switch (unit) {
    case 'seconds':
      return value >= 1 ? `${round(value, 3)}s` : `${round(value * 1000, 1)}ms`;
    case 'ratio':
      return `${round(value * 100, 2)}%`;
    case 'per-second':
      return `${round(value, 3)}/s`;
    default:
      return `${round(value, 3)}`;
  }
}

function round(value: number, digits: number): string {
  return Number(value.toFixed(digits)).toString();
}
