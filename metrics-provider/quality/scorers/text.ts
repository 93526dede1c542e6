// Text clean-up shared by the scorers: markdown stripped, punctuation and case folded, SQuAD-style tokens.

export interface NormalizeOptions {
  /** Fold case. @default true */
  readonly case?: boolean;
  /** Collapse runs of whitespace and trim. @default true */
  readonly whitespace?: boolean;
  /** Drop punctuation, except between digits ("3.5", "1,000"). @default true */
  readonly punctuation?: boolean;
  /** Drop markdown: code fences, emphasis, headings, quotes, list bullets. @default true */
  readonly markdown?: boolean;
}

/** Markdown decoration removed, the text kept: "**Paris**" -> "Paris", "```json\n{}\n```" -> "{}". */
export function stripMarkdown(text: string): string {
  return text
    .replace(/```[A-Za-z0-9_-]*[ \t]*\n?([\s\S]*?)\n?```/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, '$1$2')
    .replace(/(^|\W)_(?!\s)([^_\n]+?)_(?!\w)/g, '$1$2')
    .replace(/^[ \t]{0,3}(#{1,6}|>|[-*+])[ \t]+/gm, '');
}

const PUNCTUATION = /(?<!\d)[\p{P}\p{S}]|[\p{P}\p{S}](?!\d)/gu;

export function normalizeText(text: string, options: NormalizeOptions = {}): string {
  let out = text.normalize('NFKC');
  if (options.markdown !== false) out = stripMarkdown(out);
  if (options.punctuation !== false) out = out.replace(PUNCTUATION, ' ');
  if (options.case !== false) out = out.toLowerCase();
  if (options.whitespace !== false) out = out.replace(/\s+/g, ' ').trim();
  return out;
}

/** SQuAD's answer normalization: lower case, no punctuation, no articles, single spaces; then split into tokens. */
export function squadTokens(text: string): string[] {
  const cleaned = stripMarkdown(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, '')
    .replace(/\b(a|an|the)\b/g, ' ');
  return cleaned.split(/\s+/).filter((token) => token !== '');
}

/** `expected` as a list of acceptable texts (a string or an array of strings). */
export function references(expected: unknown): string[] {
  if (Array.isArray(expected)) return expected.map(String);
  return [String(expected)];
}

/** A short quote of an answer for reasons: one line, at most 60 characters. */
export function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length > 60 ? `${line.slice(0, 57)}...` : line);
}
