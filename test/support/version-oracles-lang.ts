import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Order, Pair, SeededRandom } from './version-oracles-os';

/**
 * The language package managers' own version comparisons, each run once over a whole batch, for
 * differential tests of the Maven, PEP 440 and npm schemes, and a generator of SemVer-shaped
 * inputs (npm, Cargo, Go). scripts/install-test-tools.sh (npm's `pretest`) installs the Debian
 * packages; a missing one fails the test, naming the package.
 */

/** Debian's Maven 3.8 `ComparableVersion`, which the jar's main class exposes. */
const MAVEN_JAR = '/usr/share/java/maven-artifact-3.x.jar';
const MAVEN_CLASS = 'org.apache.maven.artifact.versioning.ComparableVersion';
/** Debian's interpreter, whose `packaging` is python3-packaging (not a pyenv shim on PATH). */
const DEBIAN_PYTHON = '/usr/bin/python3';
const SEMVER_CLI = join(__dirname, '../../node_modules/semver/bin/semver.js');
const MAX_OUTPUT = 256 * 1024 * 1024;

export interface MavenAnswers {
  /** `getCanonical()` of each version. */
  readonly canonical: string[];
  /** The order of each version and the next one: `orders[i]` is versions[i] against versions[i + 1]. */
  readonly orders: Order[];
}

/**
 * `java -cp maven-artifact.jar ComparableVersion v1 v2 …` prints each version's canonical form and
 * compares each with the next; one JVM answers the whole list.
 */
export function mavenAnswers(versions: readonly string[]): MavenAnswers {
  if (!existsSync(MAVEN_JAR) || !commandExists('java'))
    throw missing('Maven ComparableVersion', 'libmaven3-core-java default-jre-headless');
  if (versions.some((v) => /[\n\r]|; tokens: | -> /.test(v)))
    throw new Error('a Maven version would make the output ambiguous');
  const run = spawnSync(
    'java',
    ['-Dstdout.encoding=UTF-8', '-cp', MAVEN_JAR, MAVEN_CLASS, ...versions],
    {
      encoding: 'utf8',
      maxBuffer: MAX_OUTPUT,
      env: { ...process.env, LC_ALL: 'C.UTF-8' },
    },
  );
  if (run.status !== 0) throw new Error(`ComparableVersion failed: ${run.stderr}`);
  const lines = run.stdout.split('\n').slice(1);
  const canonical: string[] = [];
  const orders: Order[] = [];
  versions.forEach((version, i) => {
    if (i > 0) orders.push(mavenOrder(lines.shift(), versions[i - 1]!, version));
    canonical.push(mavenCanonicalLine(lines.shift(), i, version));
  });
  return { canonical, orders };
}

function mavenCanonicalLine(line: string | undefined, i: number, version: string): string {
  const prefix = `${i + 1}. ${version} -> `;
  const end = line?.lastIndexOf('; tokens: ') ?? -1;
  if (!line?.startsWith(prefix) || end < prefix.length)
    throw new Error(`unexpected ComparableVersion line ${JSON.stringify(line)} for "${version}"`);
  return line.slice(prefix.length, end);
}

function mavenOrder(line: string | undefined, previous: string, version: string): Order {
  const operator = line?.slice(3 + previous.length + 1, -(version.length + 1));
  const order = ({ '<': -1, '==': 0, '>': 1 } as const)[operator ?? ''];
  if (order === undefined || line !== `   ${previous} ${operator} ${version}`)
    throw new Error(`unexpected ComparableVersion line ${JSON.stringify(line)}`);
  return order;
}

/** What `packaging.version.Version` makes of each version: accepted or not, and pairs' order. */
export interface Pep440Answers {
  readonly valid: boolean[];
  /** Per pair; null when packaging rejects either side. */
  readonly orders: (Order | null)[];
}

const PACKAGING_SCRIPT = `
import json, sys
from packaging.version import InvalidVersion, Version
request = json.load(sys.stdin)
def parse(text):
    try:
        return Version(text)
    except InvalidVersion:
        return None
versions = [parse(text) for text in request["versions"]]
def order(a, b):
    if a is None or b is None:
        return None
    return (a > b) - (a < b)
json.dump({
    "valid": [v is not None for v in versions],
    "orders": [order(versions[i], versions[j]) for i, j in request["pairs"]],
}, sys.stdout)
`;

/** Python's `packaging` (Debian's python3-packaging) over all versions and pairs in one process. */
export function pep440Answers(versions: readonly string[], pairs: readonly Pair[]): Pep440Answers {
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', 'import packaging.version']);
  if (probe.error !== undefined || probe.status !== 0)
    throw missing(`Python's packaging for ${DEBIAN_PYTHON}`, 'python3-packaging');
  const index = new Map(versions.map((v, i) => [v, i]));
  const request = {
    versions,
    pairs: pairs.map(([a, b]) => [index.get(a), index.get(b)]),
  };
  if (request.pairs.flat().includes(undefined)) throw new Error('a pair holds an unlisted version');
  const run = spawnSync(DEBIAN_PYTHON, ['-c', PACKAGING_SCRIPT], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT,
  });
  if (run.status !== 0) throw new Error(`packaging failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Pep440Answers;
}

/**
 * The semver package's CLI over all versions: it prints the valid ones, cleaned (no `v`, no
 * build metadata), in ascending order. Each version goes behind `-v` so that none is read as an
 * option.
 */
export function semverCliSort(versions: readonly string[]): string[] {
  if (!existsSync(SEMVER_CLI)) throw new Error(`${SEMVER_CLI} is missing: run npm ci`);
  const run = spawnSync(process.execPath, [SEMVER_CLI, ...versions.flatMap((v) => ['-v', v])], {
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT,
  });
  // The CLI exits 1, printing nothing, when no version is valid.
  if (run.status !== 0 && run.stdout !== '') throw new Error(`semver failed: ${run.stderr}`);
  return run.stdout.split('\n').filter((line) => line !== '');
}

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$0"', command]).status === 0;
}

function missing(what: string, packages: string): Error {
  return new Error(
    `${what} is not installed, and the differential tests compare against it: install the ` +
      `Debian package(s) ${packages} (bash scripts/install-test-tools.sh, which \`npm test\` ` +
      'runs first) and run again',
  );
}

const CORE_NUMBERS = ['0', '1', '2', '3', '9', '10', '11', '20', '100', '2023'];
const ODD_CORE_NUMBERS = '01 00 9007199254740991 9007199254740992 18446744073709551616'.split(' ');
const PRERELEASE_IDS = ['alpha', 'beta', 'rc', 'pre', 'next', 'canary', '0', '1', '2', '10', '11'];
const ODD_PRERELEASE_IDS = ['01', '00', '0a', 'a-b', '-', '--', 'Z', 'beta2', '1a', '123456789012'];
const BUILD_IDS = ['build', '001', 'sha', 'abc123', 'incompatible', '20230101', 'x-y'];

/**
 * SemVer-shaped versions as npm, crates.io and Go modules publish them (`1.2.3`, `2.0.0-rc.1`,
 * `1.0.0-beta.11+build.5`), with odd numbers and identifiers; `mutations` edits some of them.
 */
export function generateSemver(random: SeededRandom, mutations = '0123456789.-+abrv'): string {
  const number = () =>
    random.chance(0.04) ? random.pick(ODD_CORE_NUMBERS) : random.pick(CORE_NUMBERS);
  const ids = (pool: readonly string[], odd: readonly string[]) =>
    Array.from({ length: 1 + random.int(3) }, () =>
      random.chance(0.08) ? random.pick(odd) : random.pick(pool),
    ).join('.');
  let version = `${number()}.${number()}.${number()}`;
  if (random.chance(0.5)) version += `-${ids(PRERELEASE_IDS, ODD_PRERELEASE_IDS)}`;
  if (random.chance(0.15)) version += `+${ids(BUILD_IDS, ['', '-'])}`;
  if (random.chance(0.1)) version = `${random.pick(['v', 'V', '=', ' ', 'v='])}${version}`;
  return random.chance(0.1) ? random.mutate(version, mutations) : version;
}
