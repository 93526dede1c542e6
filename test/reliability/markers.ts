// Generated sections of documents: replaces what lies between two marker comments and leaves the rest of the file
// (other people's sections included) as it is; creates the file, or appends the section, when absent.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function writeBetweenMarkers(
  file: string,
  start: string,
  end: string,
  content: string,
  titleIfNew = '',
): void {
  const section = `${start}\n${content.trim()}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : titleIfNew;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  let next: string;
  if (from >= 0 && to > from) next = `${text.slice(0, from)}${section}${text.slice(to + end.length)}`;
  else next = `${text.trimEnd()}${text.trim() === '' ? '' : '\n\n'}${section}\n`;
  writeFileSync(file, next);
}

/** A Markdown table; cells have `|` escaped and newlines flattened. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}
