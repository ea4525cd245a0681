import type { GoExecutable } from './go-exe';
import { FunctionSetBuilder, type EncodedFunctionSet } from './go-functions';
import type { GoModInfo } from './go-modinfo';
import { readFunctionNames } from './go-pclntab';

/**
 * What matching needs to know of one Go binary beyond its modules: the platform it was built
 * for, whether it is one of the Go tools, and which packages and functions it holds. Matching
 * uses it to judge the Go vulnerability database's `ecosystem_specific.imports` (packages,
 * `goos`, `goarch`, `symbols`) against the binary (shared/match/go-applicability.ts).
 */
export interface GoBinaryFacts {
  /** GOOS the binary was built for: build info's `GOOS` setting, else what its headers say. */
  readonly goos?: string;
  /** GOARCH likewise. */
  readonly goarch?: string;
  /** Where `goos`/`goarch` come from: `build-info` settings, or the `headers` (ELF, PE). */
  readonly platformFrom?: 'build-info' | 'headers';
  /** The main package (build info `path`): `cmd/go` for the Go command itself. */
  readonly mainPackage?: string;
  /** The packages and functions the binary holds, when its function table could be read. */
  readonly functions?: EncodedFunctionSet;
  /** Why the function table was not read (then symbols are unknown, never absent). */
  readonly functionsUnread?: string;
}

/** The facts of `exe`, whose build info said `modinfo`; reads its function table. */
export async function goBinaryFacts(exe: GoExecutable, modinfo: GoModInfo): Promise<GoBinaryFacts> {
  const goos = modinfo.settings.get('GOOS');
  const goarch = modinfo.settings.get('GOARCH');
  const fromBuildInfo = goos !== undefined && goarch !== undefined;
  const platform = fromBuildInfo
    ? { goos, goarch, platformFrom: 'build-info' as const }
    : headerPlatform(exe);
  const builder = new FunctionSetBuilder();
  const read = await readFunctionNames(exe, (name) => builder.add(name));
  return {
    ...platform,
    ...(modinfo.path !== undefined && { mainPackage: modinfo.path }),
    ...(read.ok ? { functions: builder.encode() } : { functionsUnread: read.reason }),
  };
}

function headerPlatform(
  exe: GoExecutable,
): Pick<GoBinaryFacts, 'goos' | 'goarch' | 'platformFrom'> {
  const { os, arch } = exe.header;
  if (os === undefined && arch === undefined) return {};
  return {
    ...(os !== undefined && { goos: os }),
    ...(arch !== undefined && { goarch: arch }),
    platformFrom: 'headers',
  };
}
