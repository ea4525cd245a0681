import { createHash } from 'node:crypto';

/**
 * The functions of a Go binary as a compact set of hashes, so that a layer report stays small
 * while matching, which runs later and knows which functions matter, can ask "is package P
 * linked?" and "is P's function F in the binary?". Each key (a package path, or a package path
 * and a symbol as the Go vulnerability database writes it: `Get`, `Transport.RoundTrip`) is
 * hashed to 32 bits (the first four bytes of its SHA-256); the hashes are kept sorted, as
 * varint-coded gaps, in base64: about 4 bytes per key, 10,000 functions in ~40 KB.
 *
 * A hash set answers "absent" exactly and "present" with a false-positive rate of n / 2^32 per
 * question for n keys (1 in 430,000 for a binary of 10,000 functions, 1 in 43,000 at 100,000):
 * an error only ever claims presence, the cautious direction.
 */
export interface EncodedFunctionSet {
  readonly encoding: typeof ENCODING;
  /** Distinct packages with at least one function in the binary. */
  readonly packages: number;
  /** Distinct functions (methods as `Type.Method`, closures folded into their function). */
  readonly functions: number;
  /** The sorted 32-bit hashes as LEB128 gaps, base64. */
  readonly hashes: string;
}

const ENCODING = 'sha256-32/sorted-gaps/base64';

/** A package path and one of its symbols, as the Go vulnerability database names them. */
export interface GoSymbol {
  readonly pkg: string;
  readonly symbol: string;
}

/** Builds the set from function names as the binary writes them. */
export class FunctionSetBuilder {
  private readonly hashes = new Set<number>();
  private readonly packages = new Set<string>();
  private readonly symbols = new Set<number>();

  /** Adds one function name (`net/http.(*Transport).RoundTrip`); runtime-made names are skipped. */
  add(name: string): void {
    const parsed = symbolOf(name);
    if (parsed === undefined) return;
    if (!this.packages.has(parsed.pkg)) {
      this.packages.add(parsed.pkg);
      this.hashes.add(hashKey(parsed.pkg));
    }
    const hash = hashKey(`${parsed.pkg}\0${parsed.symbol}`);
    this.symbols.add(hash);
    this.hashes.add(hash);
  }

  encode(): EncodedFunctionSet {
    const sorted = Uint32Array.from(this.hashes).sort();
    const bytes: number[] = [];
    let previous = 0;
    for (const hash of sorted) {
      for (let gap = hash - previous; ; gap = Math.floor(gap / 128)) {
        bytes.push(gap >= 128 ? (gap % 128) | 128 : gap);
        if (gap < 128) break;
      }
      previous = hash;
    }
    return {
      encoding: ENCODING,
      packages: this.packages.size,
      functions: this.symbols.size,
      hashes: Buffer.from(bytes).toString('base64'),
    };
  }
}

/** A decoded set, to ask about packages and symbols. */
export class FunctionSet {
  private constructor(private readonly hashes: ReadonlySet<number>) {}

  /** The set in `encoded`; undefined when it is not of the encoding this version writes. */
  static decode(encoded: EncodedFunctionSet): FunctionSet | undefined {
    if (encoded.encoding !== ENCODING || typeof encoded.hashes !== 'string') return undefined;
    const bytes = Buffer.from(encoded.hashes, 'base64');
    const hashes = new Set<number>();
    let value = 0;
    let gap = 0;
    let scale = 1;
    for (const byte of bytes) {
      gap += (byte & 127) * scale;
      scale *= 128;
      if (byte < 128) {
        value += gap;
        hashes.add(value);
        gap = 0;
        scale = 1;
      }
    }
    return new FunctionSet(hashes);
  }

  /** Whether some function of package `pkg` is in the binary. */
  hasPackage(pkg: string): boolean {
    return this.hashes.has(hashKey(pkg));
  }

  /** Whether `symbol` of `pkg` (`Get`, `Transport.RoundTrip`) is in the binary. */
  hasSymbol(pkg: string, symbol: string): boolean {
    return this.hashes.has(hashKey(`${pkg}\0${symbol}`));
  }
}

/**
 * A function name split as the Go vulnerability database names symbols: the package path
 * (unescaped: the linker writes `gopkg.in/yaml%2ev2`), and the function, a method as
 * `Type.Method` without `(*…)`, generic instantiations (`[…]`) cut, closures and wrappers
 * (`.func1`, `.gowrap2`, `-fm`, `-range1`, `init.0`) folded into the function that holds them.
 * Undefined for names the runtime makes (`type:.eq.…`, `go:buildid`) and names of no package.
 */
export function symbolOf(name: string): GoSymbol | undefined {
  if (/^(?:go|type)[:.]/.test(name)) return undefined;
  const plain = withoutInstantiation(name);
  const slash = plain.lastIndexOf('/');
  const dot = plain.indexOf('.', slash + 1);
  if (dot <= 0 || dot === plain.length - 1) return undefined;
  const pkg = unescapePath(plain.slice(0, dot));
  let rest = plain.slice(dot + 1).replace(/-fm$/, '');
  rest = rest.replace(/(?:\.(?:func|gowrap|deferwrap)\d+|-range\d+|\.\d+)+$/, '');
  const method = /^\(\*([^)]+)\)\.(.+)$/.exec(rest);
  const symbol = method === null ? rest : `${method[1]}.${method[2]}`;
  return pkg === '' || symbol === '' ? undefined : { pkg, symbol };
}

/** The name without the type arguments of generic instantiations (the outermost `[…]`). */
function withoutInstantiation(name: string): string {
  const open = name.indexOf('[');
  const close = name.lastIndexOf(']');
  return open < 0 || close < open ? name : name.slice(0, open) + name.slice(close + 1);
}

/** Undoes the linker's escaping of a package path (cmd/internal/objabi.PathToPrefix). */
function unescapePath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function hashKey(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0);
}
