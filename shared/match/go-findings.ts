import type { AdvisoryEntry } from '../vulndb';
import type { Finding } from './finding';
import { goApplicability, isGoTool, type GoBinary } from './go-applicability';
import type { MatchTarget } from './targets';

/* The Go parts of matching: the Go tools' own advisories, and the applicability of a finding. */

/** The Go vulnerability database's name for the Go tools' own advisories (`cmd/go`, …). */
const GO_TOOLCHAIN = 'toolchain';

/** Where Go findings are judged: the image's Go binaries by path, and the image's platform. */
export interface GoContext {
  readonly binaries: ReadonlyMap<string, GoBinary>;
  readonly platform: string | undefined;
}

/**
 * The Go tools' own advisories (module `toolchain`: `cmd/go`, …) concern the tools, not the
 * programs built with them, so they are looked up only for binaries that are Go tools, under
 * the version of their standard library.
 */
export function toolchainTargets(
  targets: readonly MatchTarget[],
  binaries: ReadonlyMap<string, GoBinary>,
): MatchTarget[] {
  return targets
    .filter((t) => t.ecosystem === 'Go' && t.package.name === 'stdlib')
    .filter((t) => isGoTool(binaries.get(t.package.path)))
    .map((t) => ({ ...t, names: [GO_TOOLCHAIN] }));
}

/**
 * A Go finding in a binary with its applicability; one that cannot apply is suppressed as
 * `not-applicable`, so that gates, counts and the table leave it out as they do VEX'd ones.
 */
export function judged(finding: Finding, entry: AdvisoryEntry, context: GoContext): Finding {
  if (finding.source !== 'OSV:Go') return finding;
  const binary = context.binaries.get(finding.path);
  if (binary === undefined && entry.imports === undefined) return finding;
  const applicability = goApplicability(entry, binary, context.platform);
  return {
    ...finding,
    applicability,
    ...(applicability.status === 'not-applicable' && {
      suppressedBy: { kind: 'not-applicable', reason: applicability.reason },
    }),
  };
}
