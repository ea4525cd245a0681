import { PackageURL } from 'packageurl-js';

/**
 * Whether `pattern` names the package `purl` is: same type, namespace and name; the same
 * version when the pattern has one (a versionless purl names every version); and every
 * qualifier the pattern gives, with the same value. A pattern that is not a purl names nothing.
 */
export function purlMatches(pattern: string, purl: string): boolean {
  const p = parse(pattern);
  const actual = parse(purl);
  if (p === undefined || actual === undefined) return false;
  if (p.type !== actual.type || (p.namespace ?? '') !== (actual.namespace ?? '')) return false;
  if (p.name !== actual.name) return false;
  if (p.version && p.version !== actual.version) return false;
  return Object.entries(p.qualifiers ?? {}).every(([k, v]) => actual.qualifiers?.[k] === v);
}

function parse(purl: string): PackageURL | undefined {
  try {
    return PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
}
