/** Prefix of an AUFS/OCI whiteout file: `.wh.NAME` deletes NAME from the layers below. */
export const WHITEOUT_PREFIX = '.wh.';
/** `.wh..wh..opq` in a directory hides everything the layers below put in it. */
export const OPAQUE_MARKER = '.wh..wh..opq';

export type NormalisedPath =
  { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/**
 * A tar entry name as a path relative to the image root: `./`, leading `/`, `.` and empty
 * segments removed; `..` resolved, and refused when it would climb above the root.
 */
export function normaliseEntryPath(name: string): NormalisedPath {
  if (name.includes('\0')) return { ok: false, reason: 'path contains a NUL byte' };
  const segments: string[] = [];
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0)
        return { ok: false, reason: `path "${name}" escapes the image root` };
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  return { ok: true, path: segments.join('/') };
}

export type Whiteout =
  | { readonly kind: 'whiteout'; readonly target: string }
  | { readonly kind: 'opaque'; readonly directory: string };

/** Classifies a normalised path as a whiteout or opaque marker, or undefined for a real entry. */
export function whiteoutOf(path: string): Whiteout | undefined {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  if (!base.startsWith(WHITEOUT_PREFIX)) return undefined;
  const dir = slash < 0 ? '' : path.slice(0, slash);
  if (base === OPAQUE_MARKER) return { kind: 'opaque', directory: dir };
  const name = base.slice(WHITEOUT_PREFIX.length);
  return { kind: 'whiteout', target: dir === '' ? name : `${dir}/${name}` };
}
