import { pep440Scheme } from '../../shared/versions/pep440';
import { pep440Answers } from '../support/version-oracles-lang';
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

const NUMBERS = '0 1 2 3 4 9 10 11 23 2023 20230101 00 01 007'.split(' ');
const HUGE_NUMBERS = ['99999999999999999', '99999999999999998', '123456789012345678901234567890'];
const PRE_LABELS = ['a', 'b', 'c', 'rc', 'alpha', 'beta', 'pre', 'preview', 'A', 'RC', 'Beta'];
const POST_LABELS = ['post', 'rev', 'r', 'POST', 'Rev'];
const SEPARATORS = ['', '', '.', '-', '_'];
const LOCAL_PARTS = 'ubuntu1 cu118 cpu 1 2 10 0 00 abc g1a2b3c deb12u1'.split(' ');
const ODD_LOCAL_PARTS = ['1e5', '0x1a', 'Infinity', 'NaN', 'local', 'ABC', 'z'];
const MUTATIONS = '0123456789.-_+!abcdeilnoprstv ';

/** Real-world shapes: `1.0`, `1.0.post1`, `1.0.dev3`, `1.0a1`, `1!2.0`, `1.0+local.1`, `2.0rc1` … */
function generateVersion(random: SeededRandom): string {
  const number = () => (random.chance(0.03) ? random.pick(HUGE_NUMBERS) : random.pick(NUMBERS));
  // `1.0rc1`, `1.0-beta.2`, `1.0_post`, `1.0.dev-3`: a label between optional separators.
  const suffix = (labels: readonly string[]) =>
    [random.pick(SEPARATORS), random.pick(labels), random.pick(SEPARATORS)].join('') +
    (random.chance(0.8) ? number() : '');
  let version = Array.from({ length: 1 + random.int(4) }, number).join('.');
  if (random.chance(0.1)) version = `${random.pick(['0', '1', '2', '01'])}!${version}`;
  if (random.chance(0.4)) version += suffix(PRE_LABELS);
  if (random.chance(0.25)) version += random.chance(0.3) ? `-${number()}` : suffix(POST_LABELS);
  if (random.chance(0.25)) version += suffix(['dev', 'DEV']);
  if (random.chance(0.2)) version += `+${localVersion(random)}`;
  if (random.chance(0.05)) version = `${random.pick(['v', 'V'])}${version}`;
  if (random.chance(0.03)) version = ` ${version}${random.pick(['\n', '\t', ' ', '\u00a0'])}`;
  return version;
}

function localVersion(random: SeededRandom): string {
  const parts = Array.from({ length: 1 + random.int(3) }, () =>
    random.chance(0.15) ? random.pick(ODD_LOCAL_PARTS) : random.pick(LOCAL_PARTS),
  );
  return parts.map((part, i) => (i === 0 ? '' : random.pick(['.', '-', '_'])) + part).join('');
}

const RELEASE = /^\s*v?[0-9!.]*/i;

/** Neighbours (a version and an edit of it, or the same release with another suffix) and strangers. */
function generatePairs(seed: number, count: number): Pair[] {
  const random = new SeededRandom(seed);
  const pairs: Pair[] = [];
  while (pairs.length < count) {
    const version = generateVersion(random);
    const other = random.chance(0.3)
      ? random.mutate(version, MUTATIONS)
      : random.chance(0.6)
        ? RELEASE.exec(version)![0] + generateVersion(random).replace(RELEASE, '')
        : generateVersion(random);
    pairs.push([version, other]);
  }
  return pairs;
}

/** Cases beyond the generator: white space, empty parts, separators, huge and odd local parts. */
const EDGE_PAIRS: Pair[] = [
  ['', '1'],
  [' ', '1'],
  ['1.0\x1c', '1.0'],
  ['1.0\ufeff', '1.0'],
  ['1.0\u3000', '1.0'],
  ['1..0', '1.0'],
  ['1.0.', '1.0'],
  ['.1', '1'],
  ['1.0+', '1.0'],
  ['1.0+a..b', '1.0+a.b'],
  ['1.0+a-b_c', '1.0+a.b.c'],
  ['1.0-', '1.0'],
  ['1.0--1', '1.0-1'],
  ['1.0.post-1', '1.0.post1'],
  ['1.0-post1', '1.0.post1'],
  ['1.0_a_1', '1.0a1'],
  ['1.0a1.dev1', '1.0a1'],
  ['1.0a1.post1.dev1', '1.0a1.post1'],
  ['1!1.0', '2.0'],
  ['1.0.poſt1', '1.0.post1'],
  ['1.0+\u212a', '1.0+k'],
  ['1.0+1e5', '1.0+abc'],
  ['1.0+0x1a', '1.0+abc'],
  ['1.0+Infinity', '1.0+abc'],
  ['1.0.post99999999999999999', '1.0.post99999999999999998'],
];

describe('pep440Scheme', () => {
  describe('when versions differ', () => {
    // PEP 440's summary of permitted suffixes and relative ordering.
    itOrdersAscending(pep440Scheme, [
      ...'1.dev0 1.0.dev456 1.0a1 1.0a2.dev456 1.0a12.dev456 1.0a12 1.0b1.dev456 1.0b2'.split(' '),
      ...'1.0b2.post345.dev456 1.0b2.post345 1.0rc1.dev456 1.0rc1 1.0 1.0+abc.5'.split(' '),
      ...'1.0+abc.7 1.0+5 1.0.post456.dev34 1.0.post456 1.0.15 1.1.dev1 1!0.1'.split(' '),
    ]);
  });

  describe('when versions are written differently but equal', () => {
    itTreatsAsEqual(pep440Scheme, [
      ['1.0', '1'],
      ['1.0.0', '1'],
      ['1.0.0-beta.2', '1.0.0b2'],
      ['1.0-ALPHA1', '1.0a1'],
      ['1.0c1', '1.0rc1'],
      ['1.0-preview_1', '1.0rc1'],
      ['1.0-1', '1.0.post1'],
      ['1.0.rev1', '1.0.post1'],
      ['1.0.post', '1.0.post0'],
      ['1.0-dev', '1.0.dev0'],
      ['v1.0', '1.0'],
      ['0!1.0', '1.0'],
      ['01.02', '1.2'],
      [' 1.0\n', '1.0'],
      ['1.0+Ubuntu-1', '1.0+ubuntu.1'],
    ]);
  });

  describe('when a version is not PEP 440', () => {
    itRefuses(pep440Scheme, [
      ...['', 'abc', '1.0-foo', '1.0.x', '1..0', '1.0+', '1.0++1', 'v', '1.0 1', '1.0.poſt1'],
    ]);
    itFailsToCompare(
      pep440Scheme,
      ['1.0.x', '1.0'],
      ['1.0', 'abc', '"abc" is not a valid pep440 version'],
    );
  });

  describe("when compared with Python's packaging", () => {
    const pairs = [...EDGE_PAIRS, ...generatePairs(0x9e9_440, 6000)];
    const versions = [...new Set(pairs.flat())];
    const answers = answersOf(() => pep440Answers(versions, pairs));

    itAcceptsAsReference(
      pep440Scheme,
      'accepts exactly the generated versions packaging accepts',
      versions,
      () => answers().valid,
      // packaging folds ſ onto s and the Kelvin sign onto k; this scheme does not (pep440.ts).
      [
        { version: '1.0.poſt1', expected: true, actual: false },
        { version: '1.0+\u212a', expected: true, actual: false },
      ],
    );

    itOrdersAsReference(pep440Scheme, 'orders thousands of generated pairs as packaging does', {
      pairs,
      orders: () => answers().orders,
      atLeast: 3000,
      passOverRefused: true,
    });
  });
});
