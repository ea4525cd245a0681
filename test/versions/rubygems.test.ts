import { rubygemsScheme } from '../../shared/versions/rubygems';
import { gemVersionAnswers } from '../support/version-oracles-ruby-php';
import { SeededRandom, type Pair } from '../support/version-oracles-os';
import {
  answersOf,
  itAcceptsAsReference,
  itFailsToCompare,
  itOrdersAscending,
  itOrdersAsReference,
  itRefuses,
  itTreatsAsEqual,
} from '../support/version-scheme';

const NUMBERS = '0 1 2 3 4 5 7 9 10 12 13 20 99 100 2023 00 01 007'.split(' ');
const HUGE_NUMBERS = ['99999999999999999', '99999999999999998', '18446744073709551616'];
const LABELS = [
  ...'a b c pre rc alpha beta dev rc1 beta2 alpha3 pre1 x86 java mingw'.split(' '),
  ...'A B RC Beta ALPHA Pre z Z aa ab'.split(' '),
];
const SPACES = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u3000', '\0'];
const MUTATIONS = '0123456789.-abcdeprZ _';

/**
 * Real-world shapes: `7.0.4`, `1.13.10`, `0.9.12.1`, `2.0.0.rc1`, `3.2.0.beta.2`, `1.0.a`,
 * `6.0.0.beta1`, `1.0.0-x86`, `1.0-1`, `2.0.0.pre.1` …
 */
function generateVersion(random: SeededRandom): string {
  const number = () => (random.chance(0.03) ? random.pick(HUGE_NUMBERS) : random.pick(NUMBERS));
  let version = Array.from({ length: 1 + random.int(4) }, number).join('.');
  for (let tails = random.int(3); tails > 0; tails--) {
    const tail = random.chance(0.7) ? random.pick(LABELS) : number();
    version += random.pick(['.', '.', '.', '-', '']) + tail;
  }
  if (random.chance(0.04)) version = random.pick(SPACES) + version;
  if (random.chance(0.04)) version += random.pick(SPACES);
  return version;
}

const RELEASE = /^[0-9.]*/;

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

/** Cases beyond the generator: empty and blank versions, separators, zeros, case. */
const EDGE_PAIRS: Pair[] = [
  ['', '0'],
  [' ', '0'],
  ['', '0.a'],
  ['\n1.0\n', '1'],
  ['1.0\u00a0', '1.0'],
  ['1..0', '1.0'],
  ['1.0.', '1.0'],
  ['.1', '1'],
  ['a', '1'],
  ['1-', '1'],
  ['1--1', '1-1'],
  ['1.0-a.b-c', '1.0.pre.a.b.pre.c'],
  ['1.0a', '1.0.a'],
  ['1.a', '1.A'],
  ['1.Z', '1.a'],
  ['1.0.a.0', '1.0.a'],
  ['1.0.0.a.1', '1.a.1'],
  ['0.0.a', '0.a'],
  ['1.99999999999999999', '1.99999999999999998'],
  ['1.0 1', '1.0'],
  ['1_0', '1.0'],
  ['v1.0', '1.0'],
];

describe('rubygemsScheme', () => {
  describe('when versions differ', () => {
    // Gem::Version's documented order: pre-releases (any letter) before their release.
    itOrdersAscending(rubygemsScheme, [
      ...'0.9 0.9.12.1 1.0.a 1.0.a.1 1.0.a2 1.0.b 1.0.b1 1.0.beta.2 1.0.pre 1.0.rc1 1.0'.split(' '),
      ...'1.0.0.1 1.0.1 1.13.10 2.0.0.rc1 2.0.0 3.2.0.beta.2 3.2.0 7.0.4 7.0.4.1 10'.split(' '),
    ]);
  });

  describe('when versions are written differently but equal', () => {
    itTreatsAsEqual(rubygemsScheme, [
      ['1.0', '1'],
      ['1.0.0.0', '1'],
      ['01.02', '1.2'],
      ['1.0.a', '1.a'],
      ['1.0.a.0', '1.0.a'],
      ['1.0-rc1', '1.0.pre.rc1'],
      ['1.0rc1', '1.0.rc.1'],
      ['', '0'],
      [' 1.0\n', '1.0'],
    ]);
  });

  describe('when a version is not a RubyGems version', () => {
    itRefuses(rubygemsScheme, [
      ...['a', 'v1.0', '1.0.', '1..0', '.1', '1-', '1.0 1', '1_0', '1.0\u00a0', '1.0+b'],
    ]);
    itFailsToCompare(
      rubygemsScheme,
      ['1.0.', '1.0'],
      ['1.0', 'v1', '"v1" is not a valid rubygems version'],
    );
  });

  describe("when compared with RubyGems' Gem::Version", () => {
    const pairs = [...EDGE_PAIRS, ...generatePairs(0x9e3_6e35, 6000)];
    const versions = [...new Set(pairs.flat())];
    const answers = answersOf(() => gemVersionAnswers(versions, pairs));

    itAcceptsAsReference(
      rubygemsScheme,
      'accepts exactly the versions Gem::Version.correct? accepts',
      versions,
      () => answers().valid,
    );
    itOrdersAsReference(
      rubygemsScheme,
      'orders thousands of generated pairs as Gem::Version#<=> does',
      {
        pairs,
        orders: () => answers().orders,
        atLeast: 3000,
      },
    );
  });
});
