/**
 * Evidence paths name the field of the document as it was read: `repositories[0].imageTagMutability`
 * in a describe-repositories output, `repositories[2].repository.imageTagMutability` in a recording.
 */

/** `field` under `base` (`''` for the document itself): `a.b`, `a[0]`. */
export function fieldOf(base: string, field: string): string {
  if (base === '') return field;
  return field.startsWith('[') ? `${base}${field}` : `${base}.${field}`;
}

/**
 * A pattern where `*` matches any run of characters and `?` one, the rest literal: IAM's
 * wildcards in actions and ARNs, and the globs of trusted principals and upstreams.
 */
export function wildcard(pattern: string, flags = ''): RegExp {
  const source = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, flags);
}

/** Whether `text` contains an IAM wildcard. */
export function hasWildcard(text: string): boolean {
  return /[*?]/.test(text);
}
