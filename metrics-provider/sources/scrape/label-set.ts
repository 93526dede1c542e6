// How the store keeps label sets and the strings in them, which with hundreds of pods are most of its memory: every
// pod repeats the same label names, the same model name and the same bucket bounds on each of its ~100 series.
import { ClearingMap } from './clearing-map.js';

export type Labels = Readonly<Record<string, string>>;

/**
 * A label set from name-value pairs (a later pair of the same name replaces an earlier one in its place), as an
 * object without a prototype, so a label may be called `__proto__` or `constructor`. It is built with a prototype and
 * loses it afterwards because V8 keeps such an object in fast mode, with a hidden class shared by every set with the
 * same names in the same order: about 110 bytes for a vLLM series, against about 480 for `Object.create(null)`,
 * which V8 makes a dictionary from the start.
 */
export function labelSet(pairs: Iterable<readonly [string, string]>): Labels {
  const labels = Object.fromEntries(pairs) as Record<string, string>;
  Object.setPrototypeOf(labels, null);
  return labels;
}

/**
 * Target labels win; an exposed label of the same name is kept as `exported_<name>` (honor_labels: false). Exposed
 * names and values go through `intern`, since every scrape of every pod writes them anew.
 */
export function withTargetLabels(
  target: Labels,
  exposed: Labels,
  intern: (text: string) => string = (text) => text,
): Labels {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(exposed)) if (value !== '') out.set(intern(name), intern(value));
  for (const [name, value] of Object.entries(target)) {
    const clash = out.get(name);
    if (clash !== undefined) {
      let exported = `exported_${name}`;
      while (out.has(exported)) exported = `exported_${exported}`;
      out.set(intern(exported), clash);
    }
    out.set(name, value);
  }
  return labelSet(out);
}

/**
 * One copy of each string seen: a page's parser makes new strings on every scrape, and a series keeps its names and
 * values for as long as it lives. A cache, not a registry: when it holds `maxStrings` it starts over, so strings
 * that stop being seen (pods that went, old bucket bounds) do not accumulate; strings already kept by series stay
 * shared, only new copies of them may be made until they are seen again.
 */
export class Interner {
  private readonly strings: ClearingMap<string>;

  constructor(maxStrings: number) {
    this.strings = new ClearingMap('Interner maxStrings', maxStrings);
  }

  get size(): number {
    return this.strings.size;
  }

  /** The kept copy of `text`, made detached() the first time it is seen. */
  intern(text: string): string {
    const kept = this.strings.get(text);
    if (kept !== undefined) return kept;
    const copy = detached(text);
    this.strings.set(copy, copy);
    return copy;
  }
}

/**
 * A copy of `text` that keeps nothing else alive. V8 makes a string cut from a longer one (a line of a page, a name in
 * a line) a view of it, which holds the whole page for as long as the piece lives: a name kept for hours would keep
 * its scrape's page, and a new page's worth with every new name. JSON.parse builds its strings anew.
 */
export function detached(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
