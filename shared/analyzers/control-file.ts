/**
 * Debian control-file syntax (deb-control(5)), as in `var/lib/dpkg/status`: stanzas separated by
 * blank lines, `Field: value` lines, continuation lines starting with a space or tab.
 */

/** One stanza: field names as written (case kept), values with continuation lines joined by `\n`. */
export interface Stanza {
  readonly fields: ReadonlyMap<string, string>;
  /** 1-based line number where the stanza starts, for problems. */
  readonly line: number;
}

export interface ParsedControl {
  readonly stanzas: readonly Stanza[];
  readonly problems: readonly { readonly reason: string }[];
}

export function parseControlFile(text: string): ParsedControl {
  const stanzas: Stanza[] = [];
  const problems: { reason: string }[] = [];
  let fields = new Map<string, string>();
  let start = 1;
  let last: string | undefined;
  const lines = text.split(/\r?\n/);
  const flush = (): void => {
    if (fields.size > 0) stanzas.push({ fields, line: start });
    fields = new Map();
    last = undefined;
  };
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      flush();
      start = i + 2;
    } else if (line.startsWith(' ') || line.startsWith('\t')) {
      if (last === undefined)
        problems.push({ reason: `line ${i + 1}: continuation line without a field` });
      else fields.set(last, `${fields.get(last) ?? ''}\n${line.trim()}`);
    } else {
      const colon = line.indexOf(':');
      if (colon <= 0) {
        problems.push({
          reason: `line ${i + 1}: expected "Field: value", got ${JSON.stringify(line.slice(0, 60))}`,
        });
        return;
      }
      last = line.slice(0, colon);
      fields.set(last, line.slice(colon + 1).trim());
    }
  });
  flush();
  return { stanzas, problems };
}
