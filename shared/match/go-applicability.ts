import type { GoBinaryFacts } from '../analyzers';
import { FunctionSet } from '../analyzers';
import type { Digest } from '../image';
import type { GoImport } from '../osv';
import type { AdvisoryEntry } from '../vulndb';

/** A Go binary of the image: where it is, and what its analysis found (`GoBinaryFacts`). */
export interface GoBinary extends GoBinaryFacts {
  readonly path: string;
  readonly layer: Digest;
}

/**
 * How a Go advisory bears on the binary it was matched in, from the advisory's
 * `ecosystem_specific.imports` and the binary's facts:
 * - `not-applicable` only on certain grounds: every affected package is limited to platforms
 *   the binary was not built for, or is a Go tool's (`cmd/…`) and the binary is no Go tool;
 * - otherwise `applicable`, with what the function table says: `present` when an affected
 *   function (or a wholly affected package) is in the binary, `absent` when none is (a lower
 *   confidence, never a dismissal: a function inlined down to nothing leaves no name),
 *   `unknown` when the table was not read or the advisory names no package.
 */
export interface GoApplicability {
  readonly status: 'applicable' | 'not-applicable';
  readonly reason: string;
  /** GOOS/GOARCH the advisory was judged for (`linux/amd64`); `unknown` parts when not known. */
  readonly platform: string;
  /** Whether a function of an affected package is in the binary's function table. */
  readonly packages: 'linked' | 'not-linked' | 'unknown';
  /** Whether an affected function is in the binary's function table. */
  readonly symbols: 'present' | 'absent' | 'unknown';
  /** The affected functions found in the binary (`net/http.Transport.RoundTrip`), a few. */
  readonly functions?: readonly string[];
}

/** The functions named in a finding, at most. */
const MAX_FUNCTIONS_NAMED = 5;

/** Whether `binary` is one of Go's own tools (`cmd/go`, `cmd/gofmt`, `cmd/compile`). */
export function isGoTool(binary: GoBinaryFacts | undefined): boolean {
  return binary?.mainPackage?.startsWith('cmd/') === true;
}

/**
 * How `entry` applies to `binary`, built for its own platform or, where its facts leave that
 * out, the image's (`linux/amd64`). Without facts (a report of an older analyser) nothing is
 * ruled out.
 */
export function goApplicability(
  entry: Pick<AdvisoryEntry, 'imports'>,
  binary: GoBinary | undefined,
  imagePlatform: string | undefined,
): GoApplicability {
  // The image's platform stands in for what a binary's own facts leave out (a Go before 1.18
  // writes no GOOS, and Linux ELF says no OS); a binary without facts is not placed at all.
  const [imageOs, imageArch] = binary === undefined ? [] : (imagePlatform ?? '').split('/');
  const os = binary?.goos ?? (imageOs || undefined);
  const arch = binary?.goarch ?? (imageArch || undefined);
  const platform = `${os ?? 'unknown'}/${arch ?? 'unknown'}`;
  const imports = entry.imports ?? [];
  const unknown = { packages: 'unknown', symbols: 'unknown' } as const;
  if (imports.length === 0)
    return ordered('applicable', platform, {
      ...unknown,
      reason: 'the advisory names the whole module',
    });
  // Without facts the binary may be a Go tool: only a known program rules cmd/… out.
  const forBinary = imports.filter(
    (i) => !i.path.startsWith('cmd/') || binary === undefined || isGoTool(binary),
  );
  if (forBinary.length === 0)
    return ordered('not-applicable', platform, {
      ...unknown,
      reason: `concerns the Go tools (${paths(imports)}), not programs built with them`,
    });
  const onPlatform = forBinary.filter((i) => builtFor(i.goos, os) && builtFor(i.goarch, arch));
  if (onPlatform.length === 0)
    return ordered('not-applicable', platform, {
      ...unknown,
      reason: `affects ${platformsOf(forBinary)} only; the binary is ${platform}`,
    });
  return ordered('applicable', platform, inFunctionTable(onPlatform, binary));
}

/** The applicability with its fields in the documented order (stable JSON). */
function ordered(
  status: GoApplicability['status'],
  platform: string,
  found: Pick<GoApplicability, 'packages' | 'symbols' | 'functions' | 'reason'>,
): GoApplicability {
  return {
    status,
    reason: found.reason,
    platform,
    packages: found.packages,
    symbols: found.symbols,
    ...(found.functions !== undefined && { functions: found.functions }),
  };
}

/** Whether a `goos`/`goarch` list admits `value`; an unknown value is admitted (cautious). */
function builtFor(list: readonly string[] | undefined, value: string | undefined): boolean {
  return list === undefined || value === undefined || list.includes(value);
}

/** What the binary's function table says of the affected packages and functions. */
function inFunctionTable(
  imports: readonly GoImport[],
  binary: GoBinary | undefined,
): Pick<GoApplicability, 'packages' | 'symbols' | 'functions' | 'reason'> {
  const set = binary?.functions && FunctionSet.decode(binary.functions);
  if (binary === undefined || !set) {
    const why = binary?.functionsUnread
      ? `the binary's function table was not read (${binary.functionsUnread})`
      : "the binary's functions are not known";
    return {
      packages: 'unknown',
      symbols: 'unknown',
      reason: `${why}: ${paths(imports)} may be linked`,
    };
  }
  // The main package's functions are named `main.…` whatever its import path.
  const pkgOf = (path: string) => (path === binary.mainPackage ? 'main' : path);
  const linked = imports.filter((i) => set.hasPackage(pkgOf(i.path)));
  const whole = linked.filter((i) => i.symbols === undefined).map((i) => i.path);
  const found = imports.flatMap((i) =>
    (i.symbols ?? []).filter((s) => set.hasSymbol(pkgOf(i.path), s)).map((s) => `${i.path}.${s}`),
  );
  const packages = linked.length > 0 ? 'linked' : 'not-linked';
  if (found.length > 0)
    return {
      packages,
      symbols: 'present',
      functions: found.slice(0, MAX_FUNCTIONS_NAMED),
      reason: `${listed(found)} ${be(found)} in the binary`,
    };
  if (whole.length > 0)
    return {
      packages,
      symbols: 'present',
      reason: `${listed(whole)} ${be(whole)} linked, and affected as a whole`,
    };
  return {
    packages,
    symbols: 'absent',
    reason:
      linked.length > 0
        ? `${paths(linked)} ${be(linked)} linked, but no affected function is in the binary's function table: likely not reachable`
        : `no function of ${paths(imports)} is in the binary's function table: likely not linked`,
  };
}

function be(items: readonly unknown[]): string {
  return items.length === 1 ? 'is' : 'are';
}

function paths(imports: readonly GoImport[]): string {
  return listed([...new Set(imports.map((i) => i.path))]);
}

function listed(items: readonly string[]): string {
  const shown = items.slice(0, MAX_FUNCTIONS_NAMED).join(', ');
  return items.length > MAX_FUNCTIONS_NAMED
    ? `${shown} and ${items.length - MAX_FUNCTIONS_NAMED} more`
    : shown;
}

/** `windows`, `linux on 386, arm`, `windows or darwin`: the platforms the imports are limited to. */
function platformsOf(imports: readonly GoImport[]): string {
  const each = imports.map((i) => {
    const goos = i.goos?.join(', ');
    const goarch = i.goarch?.join(', ');
    if (goos !== undefined && goarch !== undefined) return `${goos} on ${goarch}`;
    return goos ?? goarch ?? 'every platform';
  });
  return [...new Set(each)].join(' or ');
}
