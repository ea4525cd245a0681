import type { Analyzer, AnalyzerResult, FoundPackage } from './analyzer';
import { isExecutable, MalformedElfError } from './elf';
import { goBinaryFacts } from './go-binary';
import type { GoBinaryFacts } from './go-binary';
import { readBuildInfo } from './go-buildinfo';
import { openGoExecutable, type GoExecutable } from './go-exe';
import { parseGoModInfo, type GoModule } from './go-modinfo';

declare module './analyzer' {
  interface AnalyzerFindings {
    /** A Go binary's platform, main package and functions, for matching. */
    readonly goBinary: GoBinaryFacts;
  }
}

/**
 * Go modules compiled into an executable (ELF or PE), from the build info the Go linker embeds:
 * the toolchain (as the `stdlib` module), the main module and every dependency, with
 * replacements applied. Reads the headers and the build info the way `go version -m` does,
 * whatever the binary's size; stripped binaries (no section table) are searched like Go does.
 * Also gives the binary's facts for matching (`goBinary`): its platform, main package, and its
 * packages and functions as a hashed set, streamed from the function table.
 */
export const goAnalyzer: Analyzer = {
  name: 'go',
  version: 2,
  readsRanges: true,
  wants: (_path, info) => isExecutable(info),
  async analyze(file) {
    const exe = await openGoExecutable(file);
    if (exe instanceof MalformedElfError) return { problems: [{ reason: exe.message }] };
    return exe === undefined ? {} : analyzeExecutable(exe);
  },
};

async function analyzeExecutable(exe: GoExecutable): Promise<AnalyzerResult> {
  try {
    const info = await readBuildInfo(exe);
    if (info === undefined) return {};
    const modinfo = parseGoModInfo(info.modinfo);
    const { modules } = modinfo;
    const problems = [...modinfo.problems];
    const stdlib = stdlibOf(info.goVersion);
    if (stdlib === undefined)
      problems.push(
        `Go build info names the toolchain ${JSON.stringify(info.goVersion.slice(0, 40))}, not a Go release: the standard library is not listed`,
      );
    return {
      packages: [...(stdlib ? [stdlib] : []), ...modules.map(packageOf)],
      problems: problems.map((reason) => ({ reason })),
      goBinary: await goBinaryFacts(exe, modinfo),
    };
  } catch (error) {
    if (!(error instanceof MalformedElfError)) throw error;
    return { problems: [{ reason: `Go build info: ${error.message}` }] };
  }
}

/** The toolchain as the `stdlib` module, the name vulnerability databases give it. */
function stdlibOf(goVersion: string): FoundPackage | undefined {
  const match = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?(?:\s|$)/.exec(goVersion);
  if (match === null) return undefined;
  const [, major, minor, patch, pre, preNumber] = match;
  const prerelease = pre === undefined ? '' : `-${pre}.${preNumber}`;
  return {
    type: 'golang',
    name: 'stdlib',
    version: `v${major}.${minor}.${patch ?? 0}${prerelease}`,
  };
}

function packageOf(module: GoModule): FoundPackage {
  const slash = module.path.lastIndexOf('/');
  return {
    type: 'golang',
    name: slash < 0 ? module.path : module.path.slice(slash + 1),
    ...(slash > 0 && { namespace: module.path.slice(0, slash) }),
    version: module.version,
  };
}
