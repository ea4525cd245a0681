/**
 * What each command must do with each case: the rules every run is held to, then the rules of
 * its expectation class (docs/hostile-corpus.md). Returns the broken rules as sentences; the
 * harness fails the test with them, the run's numbers and the first lines of stderr.
 */
import type { CaseEntry, CommandName } from './index';
import type { RunResult } from './run';

/** One command run on one case. */
export interface HostileRun {
  readonly hostile: CaseEntry;
  readonly command: CommandName;
  readonly allowIncomplete: boolean;
}

export const LIMITS = {
  /** Peak resident memory of one command. */
  rssKiB: 1024 * 1024,
  /** Wall time of one command. */
  seconds: 60,
  /** A one-line error a person reads, not a dump. */
  messageChars: 4096,
} as const;

/** Signs that an error escaped as a crash, or dumped the internals of a library. */
const CRASH_MARKERS: readonly [RegExp, string][] = [
  [/^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$/m, 'a stack trace'],
  [/this is a bug/i, '"this is a bug"'],
  [
    /node:internal\/|\/node_modules\/\S+\.c?js\b|\bclearance\.js:\d+/,
    "Node's, a dependency's or the bundle's source files",
  ],
  [
    /\b(dynalite|leveldb|leveldown|classic-level|abstract-level|LevelUP)\b/i,
    'dynalite/LevelDB internals',
  ],
  [/\bZ_[A-Z_]{3,}\b|\berrno\b/, 'zlib internals (Z_* codes, errno)'],
  [/\bERR_[A-Z][A-Z_]+\b/, 'a raw Node.js error code'],
  [
    /\b(RangeError|TypeError|ReferenceError|SyntaxError)\b|Maximum call stack size exceeded/,
    'a raw JavaScript error',
  ],
  [/JavaScript heap out of memory|FATAL ERROR|Aborted \(core dumped\)/i, 'a crashed runtime'],
];

/** The broken rules; empty when the run did what it must. */
export function violations(run: HostileRun, result: RunResult): string[] {
  return [...universal(result), ...byExpectation(run, result)];
}

function universal(result: RunResult): string[] {
  const broken: string[] = [];
  if (result.killed !== undefined) broken.push(`${result.killed} by the harness`);
  else if (result.code === null || ![0, 1, 2].includes(result.code))
    broken.push(`exit ${result.code ?? result.signal}: an exit code must be 0, 1 or 2`);
  if (result.rssKiB !== undefined && result.rssKiB >= LIMITS.rssKiB)
    broken.push(`peak RSS ${mib(result.rssKiB)} MiB: must stay under 1 GiB`);
  if (result.seconds !== undefined && result.seconds >= LIMITS.seconds)
    broken.push(`took ${result.seconds} s: must finish within ${LIMITS.seconds} s`);
  for (const [marker, what] of CRASH_MARKERS)
    if (marker.test(result.stderr)) broken.push(`stderr shows ${what}`);
  if (result.code !== null && result.code !== 0) broken.push(...oneLineError(result));
  return broken;
}

function oneLineError(result: RunResult): string[] {
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return ['exited non-zero with nothing on stderr'];
  const broken: string[] = [];
  if (lines.length > 1) broken.push(`stderr has ${lines.length} lines: must be one line`);
  if (!lines[0]!.startsWith('clearance: ')) broken.push('stderr does not start with "clearance: "');
  if (result.stderrCut) broken.push(`stderr of ${result.stderrBytes} bytes: a dump, not a message`);
  else if (lines.some((line) => line.length > LIMITS.messageChars))
    broken.push(`an error line of over ${LIMITS.messageChars} characters`);
  return broken;
}

function byExpectation(run: HostileRun, result: RunResult): string[] {
  const { hostile, command } = run;
  const code = result.code;
  if (code === null || run.allowIncomplete) return [];
  switch (hostile.expectation) {
    case 'invalid-digest':
      return code === 0 ? ['exit 0 on an input whose digests do not verify'] : [];
    case 'invalid':
      return invalid(run, code, result);
    case 'valid-unusual':
      return code === 0 ? [] : [`exit ${code} on a valid input: must read it and exit 0`];
    case 'data':
      return command === 'db-import' ? imported(run, result) : judged(code);
  }
}

/**
 * An invalid input fails every command, but for `scan` without a gate: it reports what it
 * could not check and may exit 0 (no gate was asked for), saying so on stderr; only a layer
 * that cannot be read or verified makes it exit 2 (README, "Exit codes").
 */
function invalid(run: HostileRun, code: number, result: RunResult): string[] {
  if (run.command === 'inspect' && run.hostile.contentOnly) return [];
  if (run.command === 'sbom')
    return code === 2 ? [] : [`exit ${code} on an invalid input: sbom must exit 2`];
  if (run.command === 'scan' && code === 0)
    return /^clearance: scan incomplete: /.test(result.stderr)
      ? []
      : ['exit 0 on an invalid input without saying on stderr what the scan could not check'];
  return code === 0 ? [`exit 0 on an invalid input: ${run.command} must exit 1 or 2`] : [];
}

/** `db import`: 0 with the bad records counted as skipped, or 2. */
function imported(run: HostileRun, result: RunResult): string[] {
  if (result.code === 2) return [];
  if (result.code !== 0)
    return [`exit ${result.code}: db import must exit 0 (bad records skipped) or 2`];
  const wanted = run.hostile.malformedAtLeast;
  if (wanted === undefined) return [];
  const counted = Number(/(\d+) malformed \(skipped\)/.exec(result.stdout)?.[1] ?? -1);
  if (counted < 0) return ['exit 0 without reporting how many records were skipped as malformed'];
  return counted >= wanted
    ? []
    : [`exit 0 counting ${counted} malformed records: expected at least ${wanted}`];
}

/** A policy or report that cannot be judged never passes: 1 (fails closed) or 2 (refused). */
function judged(code: number): string[] {
  return code === 0 ? ['exit 0: a policy or report that cannot be judged must not pass'] : [];
}

/** The test's failure message: the run, its numbers, the broken rules and the first stderr lines. */
export function report(
  run: HostileRun,
  argv: readonly string[],
  result: RunResult,
  broken: readonly string[],
): string {
  const { hostile } = run;
  const numbers = [
    result.killed ?? `exit ${result.code ?? result.signal}`,
    result.rssKiB === undefined ? 'peak RSS unknown' : `peak RSS ${mib(result.rssKiB)} MiB`,
    result.seconds === undefined ? 'time unknown' : `${result.seconds} s`,
  ].join(', ');
  const stderr = result.stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 5);
  return [
    `${hostile.id} × ${commandLabel(run)} (${hostile.expectation}): ${hostile.description}`,
    `  clearance ${argv.map((a) => (a.length > 120 ? `${a.slice(0, 117)}...` : a)).join(' ')}`,
    `  ${numbers}`,
    ...broken.map((b) => `  ✗ ${b}`),
    `  stderr${stderr.length === 0 ? ': (empty)' : ':'}`,
    ...stderr.map((line) => `    ${line.length > 300 ? `${line.slice(0, 297)}...` : line}`),
  ].join('\n');
}

export function commandLabel(run: Pick<HostileRun, 'command' | 'allowIncomplete'>): string {
  return `${run.command}${run.allowIncomplete ? ' --allow-incomplete' : ''}`;
}

function mib(kib: number): number {
  return Math.round(kib / 1024);
}
