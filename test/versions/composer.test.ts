import { composerScheme, normalizeComposerVersion } from '../../shared/versions/composer';
import { composerAnswers } from '../support/version-oracles-ruby-php';
import { SeededRandom, type Pair } from '../support/version-oracles-os';
import {
  answersOf,
  itAcceptsAsReference,
  itAnswersAsReference,
  itFailsToCompare,
  itOrdersAscending,
  itOrdersAsReference,
  itRefuses,
  itTreatsAsEqual,
} from '../support/version-scheme';

const NUMBERS = '0 1 2 3 4 5 8 10 12 20 99 2023 00 01 007'.split(' ');
const HUGE_NUMBERS = [
  '123456',
  '9223372036854775807',
  '9223372036854775808',
  '99999999999999999999',
];
const STABILITIES = [
  ...'alpha beta RC rc patch pl p a b stable dev'.split(' '),
  ...'Alpha BETA Rc PATCH PL P A B STABLE Stable DEV'.split(' '),
];
const SEPARATORS = ['-', '-', '-', '.', '_', ''];
const BRANCHES = ['dev-master', 'master', 'trunk', 'default', 'dev-feature/x', 'DEV-main', 'main'];
const MUTATIONS = '0123456789.-_+vxXabdeilprt@ *';

/**
 * Real-world shapes: `v2.8.1`, `1.0.0-beta2`, `2.0.0-RC1`, `1.0.0.0`, `1.0-patch1`, `5.4.x-dev`,
 * `1.0.0-alpha.1`, `1.0.0-beta2-dev`, `2023-01-01`, `dev-master`, `1.0.0+build` …
 */
function generateVersion(random: SeededRandom): string {
  const number = () => (random.chance(0.03) ? random.pick(HUGE_NUMBERS) : random.pick(NUMBERS));
  if (random.chance(0.03)) return random.pick(BRANCHES);
  if (random.chance(0.05)) return dateVersion(random);
  let version = Array.from({ length: 1 + random.int(4) }, number).join('.');
  if (random.chance(0.08)) version += random.pick(['.x', '.*', '.X']);
  if (random.chance(0.5)) {
    version += random.pick(SEPARATORS) + random.pick(STABILITIES);
    if (random.chance(0.7)) version += random.pick(['', '', '.', '-']) + number();
    if (random.chance(0.1)) version += random.pick(['.', '-']) + number();
  }
  if (random.chance(0.1)) version += random.pick(['-dev', '.dev', 'dev', '-DEV']);
  if (random.chance(0.1)) version += random.pick(['+build', '+20230101', '+a.b-c', '+']);
  if (random.chance(0.05)) version += random.pick(['@dev', '@beta', '@stable', '@RC', '@foo']);
  if (random.chance(0.15)) version = `${random.pick(['v', 'v', 'V', '='])}${version}`;
  if (random.chance(0.03)) version += ` as ${number()}.${number()}`;
  if (random.chance(0.03)) version = random.pick([' ', '\t', '\n', '\f', '\0']) + version;
  if (random.chance(0.03)) version += random.pick([' ', '\t', '\n', '\f', '\0', '\u00a0']);
  return version;
}

/** `20230101`, `2023-01-01`, `2023.01.01.1200`, `2023-01-01 12:00` … */
function dateVersion(random: SeededRandom): string {
  const parts = ['2023', '12', '31', '23', '59', '59', '999'].slice(0, 2 + random.int(6));
  const separator = random.pick(['', '.', '-', ':']);
  return parts.join(separator) + (random.chance(0.2) ? random.pick(['-beta1', '-dev', 'p1']) : '');
}

const RELEASE = /^v?[0-9.]*/i;

/** Neighbours (a version and an edit of it, or the same release with another tail) and strangers. */
function generatePairs(seed: number, count: number): Pair[] {
  const random = new SeededRandom(seed);
  const pairs: Pair[] = [];
  while (pairs.length < count) {
    const version = generateVersion(random);
    const other = random.chance(0.35)
      ? random.mutate(version, MUTATIONS)
      : random.chance(0.6)
        ? RELEASE.exec(version)![0] + generateVersion(random).replace(RELEASE, '')
        : generateVersion(random);
    pairs.push([version, other]);
  }
  return pairs;
}

/** Cases beyond the generator: white space, newlines PCRE's `$` lets through, odd stabilities. */
const EDGE_PAIRS: Pair[] = [
  ['', '0'],
  ['1.0\n@dev', '1.0'],
  ['1.0+b\n@dev', '1.0'],
  ['a\n1.x-dev', '1.9999999-dev'],
  ['1.x -dev', '1.x-dev'],
  ['1.0 as 2.0', '1.0'],
  ['1.0  as  2.0', '1.0'],
  ['1.0@dev@dev', '1.0'],
  ['1.0@', '1.0'],
  ['1.0-stable-dev', '1.0'],
  ['1.0-STABLE', '1.0-dev'],
  ['1.0-stable1', '1.0'],
  ['1.0-beta.1.2', '1.0-beta1-2'],
  ['1.0-pl', '1.0-patch'],
  ['1.0-p1', '1.0.0.1'],
  ['1.0.0.0-patch1', '1.0.0.1'],
  ['9223372036854775807', '9223372036854775808'],
  ['1.0-beta9223372036854775808', '1.0-beta99999999999999999999'],
  ['123456', '12345'],
  ['20230101', '2023.01.01'],
  ['2023-01-01 12:00', '2023-01-01'],
  ['1.0.0.0.0', '1.0'],
  ['1.0\f', '1.0'],
  ['\x0b1.0\0', '1.0'],
  ['1.0\u00a0', '1.0'],
  ['v1', 'V1'],
  ['1.x', '1.x-dev'],
  ['1.*-dev', '1.x-dev'],
  ['dev-1.0', '1.0'],
];

describe('composerScheme', () => {
  describe('when versions differ', () => {
    // Composer's stability order: dev < alpha < beta < RC < stable < patch.
    itOrdersAscending(composerScheme, [
      ...'0.9 1.0.0-dev 1.0.0-alpha 1.0.0-alpha1 1.0.0-alpha.2 1.0.0-beta-dev'.split(' '),
      ...'1.0.0-beta 1.0.0-beta2 1.0.0-beta10 1.0.0-RC1-dev 1.0.0-RC1 1.0.0-rc2'.split(' '),
      ...'v1.0.0 1.0.0-patch1 1.0.0-pl2 1.0.0.1 1.0.1 1.0.x-dev 1.1 2.0.0-RC1'.split(' '),
      ...['v2.8.1', '2023-01-01'],
    ]);
  });

  describe('when versions are written differently but equal', () => {
    itTreatsAsEqual(composerScheme, [
      ['1.0', '1.0.0.0'],
      ['v1.0.0', '1.0.0'],
      ['1.0.0-b2', '1.0.0-beta2'],
      ['1.0.0-beta.2', '1.0.0beta2'],
      ['1.0-p1', '1.0-patch1'],
      ['1.0-pl1', '1.0-patch1'],
      ['1.0.0-stable', '1.0.0'],
      ['1.0.0+build.5', '1.0.0'],
      ['1.0.0@beta', '1.0.0'],
      ['1.0.0 as 2.0.0', '1.0.0'],
      [' 1.0\n', '1.0'],
    ]);
  });

  describe('when normalising', () => {
    it.each([
      ['v2.8.1', '2.8.1.0'],
      ['1.0.0-beta2', '1.0.0.0-beta2'],
      ['2.0.0-rc.1', '2.0.0.0-RC1'],
      ['1.0-pl3', '1.0.0.0-patch3'],
      ['5.4.x-dev', '5.4.9999999.9999999-dev'],
      ['2023-01-01', '2023.01.01'],
    ])('writes %j as %j', (version, normalized) => {
      expect(normalizeComposerVersion(version)).toBe(normalized);
    });
  });

  describe('when a version is not a Composer version', () => {
    itRefuses(composerScheme, [
      ...['', 'abc', '1.0.0.0.0', '1.0-foo', 'v', '1.0\f', '2023-1-1', '1.0 1', 'feature-dev'],
    ]);
    itRefuses(
      composerScheme,
      ['dev-master', 'master', 'dev-feature/x', 'DEV-1.0'],
      'refuses the branch %j',
    );
    itFailsToCompare(
      composerScheme,
      ['1.0-foo', '1.0'],
      [
        '1.0',
        'dev-master',
        '"dev-master" is not a valid composer version: a branch, which no version range places',
      ],
    );
  });

  describe("when compared with Composer's semver library", () => {
    const pairs = [...EDGE_PAIRS, ...generatePairs(0xc0_4905e, 6000)];
    const versions = [...new Set(pairs.flat())];
    const answers = answersOf(() => composerAnswers(versions, pairs));

    itAnswersAsReference(
      'normalises every generated version as VersionParser::normalize does',
      versions,
      (version) => {
        try {
          return normalizeComposerVersion(version);
        } catch {
          return null;
        }
      },
      // A branch, which the scheme refuses, normalises to `dev-…`.
      () => answers().normalized.map((normal) => (normal?.startsWith('dev-') ? null : normal)),
    );
    itAcceptsAsReference(
      composerScheme,
      'accepts exactly the versions Composer normalises to a number',
      versions,
      () => answers().valid,
    );
    itOrdersAsReference(composerScheme, 'orders thousands of generated pairs as Comparator does', {
      pairs,
      orders: () => answers().orders,
      atLeast: 3000,
    });
  });
});
