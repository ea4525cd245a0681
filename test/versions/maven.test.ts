import { mavenCanonical, mavenScheme } from '../../shared/versions/maven';
import { mavenAnswers } from '../support/version-oracles-lang';
import { SeededRandom, type Pair } from '../support/version-oracles-os';
import {
  answersOf,
  itAccepts,
  itAnswersAsReference,
  itFailsToCompare,
  itOrdersAscending,
  itOrdersAsReference,
  itRefuses,
  itTreatsAsEqual,
} from '../support/version-scheme';

const order = (a: string, b: string) => Math.sign(mavenScheme.compare(a, b));

/** Numbers as Maven projects write them, with zeros and the int/long/BigInteger boundaries. */
const NUMBERS = '0 1 2 3 5 9 10 11 17 27 2023 20230101 00 01'.split(' ');
const BIG_NUMBERS = '999999999 1000000000 0000000000 123456789012345678 99999999999999999999'.split(
  ' ',
);
const QUALIFIERS = [
  ...'alpha beta milestone rc cr snapshot ga final release sp a b m'.split(' '),
  ...'jre android dev preview incubating redhat jboss x pre v RELEASE Final SNAPSHOT GA M'.split(
    ' ',
  ),
];
const MUTATIONS = '0123456789.-abmrcsp_';

/** Real-world shapes: `2.17.1`, `1.0.0-SNAPSHOT`, `3.0.0-M1`, `5.3.27.RELEASE`, `31.1-jre` … */
const SHAPES: readonly ((numbers: string, n: () => string, q: () => string) => string)[] = [
  (numbers) => numbers,
  (numbers, _, q) => `${numbers}-${q()}`,
  (numbers, _, q) => `${numbers}.${q()}`,
  (numbers, n, q) => `${numbers}-${q()}${n()}`,
  (numbers, n, q) => `${numbers}${q()}${n()}`,
  (numbers, n, q) => `${numbers}-${q()}-${n()}`,
  (numbers, n) => `${numbers}-${n()}`,
  (numbers, n, q) => `${numbers}.${q()}${n()}-${q()}`,
  (numbers, n, q) => `${numbers}-${q()}.${n()}-SNAPSHOT`,
];

function generateVersion(random: SeededRandom): string {
  const number = () => (random.chance(0.05) ? random.pick(BIG_NUMBERS) : random.pick(NUMBERS));
  const numbers = Array.from({ length: 1 + random.int(4) }, number).join('.');
  return random.pick(SHAPES)(numbers, number, () => random.pick(QUALIFIERS));
}

/**
 * Versions in an order where each is compared with the next: a version, then a close relative
 * (an edit, or the same numbers with another tail), so that comparisons reach the tails.
 */
function generateSequence(seed: number, count: number): string[] {
  const random = new SeededRandom(seed);
  const versions: string[] = [];
  while (versions.length < count) {
    const version = generateVersion(random);
    versions.push(version);
    if (random.chance(0.5)) versions.push(random.mutate(version, MUTATIONS));
    else versions.push(version.replace(/[^0-9.].*$/, '') + random.pick(['', '-', '.', '-1', 'a1']));
  }
  // The empty string is no Maven version (tested apart).
  return versions.filter((version) => version !== '');
}

/** Cases beyond the generator: empty items, separators alone, scripts other than Latin. */
const EDGE_CASES = [
  ...['.', '-', '..', '--', '.-', '-.', '1..2', '1--2', '-1', '.1', '1-', '1.', '1.-', '1-.'],
  ...['a', 'A', 'a1', 'a.1', 'ga.1', 'sp', 'sp1', '1-sp-1', '1.sp.1', '1.0.0.0.0.0', '0', '0.0'],
  ...['1.alpha1', '1.a1', '1.0.alpha1', '1a', '1.a', '1-a', '1-1.a', '1.1a1b1', '1-x1-y2.z3'],
  ...['1.0000000000.1', '1.5.1', '1.000000000.1', '1.99999999999999999999999.1', '1.1_2', '1+2'],
  ...['١.٢', '1.2', '1.٢٣', 'İ', '1-ß', 'Σ-ΣΣ', '1.éa1', '1-Ⅻ', '1.²'],
];

describe('mavenScheme', () => {
  describe('when qualifiers follow a release', () => {
    // The order Maven's ComparableVersionTest specifies.
    itOrdersAscending(mavenScheme, [
      ...['1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11'],
      ...['1-rc', '1-cr2', '1-rc123', '1-SNAPSHOT', '1', '1-sp', '1-sp2', '1-sp123', '1-abc'],
      ...['1-def', '1-pom-1', '1-1-snapshot', '1-1', '1-2', '1-123'],
    ]);
  });

  describe('when numbers and qualifiers mix', () => {
    itOrdersAscending(mavenScheme, [
      ...['2.0', '2.0.a', '2-1', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1'],
      ...['2.1.0.1', '2.2', '2.123', '11.a2', '11.a11', '11.b2', '11.b11', '11.m2', '11.m11', '11'],
      ...['11.a', '11b', '11c', '11m'],
    ]);
  });

  describe('when versions are written differently but equal', () => {
    const equal: Pair[] = [
      ['1', '1.0.0'],
      ['1', '1-0'],
      ['1', '1.0-0'],
      ['1', '1-ga'],
      ['1', '1.Final'],
      ['1', '1.RELEASE'],
      ['1-rc1', '1-CR1'],
      ['1a1', '1-alpha-1'],
      ['1.alpha1', '1-alpha-1'],
      ['1-m1', '1-milestone-1'],
      ['1.2', '1.02'],
      ['١.٢', '1.2'],
    ];
    itTreatsAsEqual(mavenScheme, equal);
    it.each(equal)('gives %j and %j one canonical form', (a, b) => {
      expect(mavenCanonical(a)).toBe(mavenCanonical(b));
    });
  });

  describe('when a number outgrows an int or a long', () => {
    it('orders a wider number after a narrower one, even when its value is zero', () => {
      expect(order('1.0000000000.1', '1.5.1')).toBe(1);
      expect(order('1.9999999999', '1.999999999')).toBe(1);
      expect(order('1.99999999999999999999', '1.999999999999999999')).toBe(1);
    });
  });

  describe('when a version is any non-empty string', () => {
    itAccepts(mavenScheme, ['abc', '.', '-', 'ÿ', ' 1 ']);
  });

  describe('when a version is empty', () => {
    itRefuses(mavenScheme, [''], 'is not valid');
    itFailsToCompare(mavenScheme, ['', '1'], ['1', '', '"" is not a valid maven version']);
  });

  describe('when compared with Maven 3.8 ComparableVersion', () => {
    const versions = [...EDGE_CASES, ...generateSequence(0x5eed_3a7e, 7000)];
    const answers = answersOf(() => mavenAnswers(versions));

    itOrdersAsReference(mavenScheme, 'compares thousands of generated neighbours as Maven does', {
      // Maven compares each version with the next.
      pairs: () => answers().orders.map((_, i): Pair => [versions[i]!, versions[i + 1]!]),
      orders: () => answers().orders,
      atLeast: 3000,
    });
    itAnswersAsReference(
      'gives each version the canonical form Maven gives it',
      versions,
      mavenCanonical,
      () => answers().canonical,
    );
  });
});
