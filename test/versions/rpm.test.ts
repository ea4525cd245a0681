import { rpmScheme } from '../../shared/versions/rpm';
import { requireTool, rpmOrders, SeededRandom, type Pair } from '../support/version-oracles-os';
import {
  answersOf,
  itFailsOn,
  itKeepsEqualInOrder,
  itOrdersAsReference,
  itOrdersPairs,
  itSortsAnyPermutation,
  itTreatsAsEqual,
} from '../support/version-scheme';

const NUMBERS = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '7',
  '9',
  '10',
  '15',
  '18',
  '36',
  '2023',
  '01',
  '007',
];
const TAILS = ['a', 'k', 'l', '~rc1', '~beta', '~beta2', '^20230101git', '^git1.abc123', '+git5'];
const MORE_TAILS = ['_rc1', '~~', '^', '~', '.post1', 'rc2', '%{}'];
const RELEASES = [
  '1',
  '2',
  '10',
  '1.el9',
  '1.el9_2',
  '9.el8_7',
  '3.fc39',
  '0.rc1.fc38',
  '2.el7_9.1',
];
const MORE_RELEASES = [
  '150400.3.12.1',
  '1.module+el8.4.0+10307+74578396',
  '1~bootstrap',
  '1.amzn2023',
];
/** Amazon Linux's releases, as its ALAS advisories and rpm databases write them. */
const AMAZON_RELEASES = [
  '1.amzn2023.0.1',
  '1.amzn2023.0.11',
  '1.amzn2023.0.2',
  '0.amzn2023',
  '3.amzn2023.0.2',
  '257.562.amzn2',
  '201.852.amzn2',
  '1.amzn2.0.3',
  '1.amzn2.0.1',
  '54.144.amzn2',
  '1.amzn2',
];
/** Versions and pairs of real Amazon Linux shape: each against the others, as rpm orders them. */
const AMAZON_VERSIONS = [
  '2.0.20231218-1.amzn2023.0.1',
  '2.0.20231218-1.amzn2023.0.11',
  '2.0.20240101-1.amzn2023.0.1',
  '1:3.0.8-1.amzn2023.0.11',
  '1:3.0.8-1.amzn2023.0.12',
  '1:3.0.8-1.amzn2023.0.2',
  '3.0.8-1.amzn2023.0.11',
  '1:3.2.2-1.amzn2023.0.1',
  '4.14.336-257.562.amzn2',
  '4.14.336-257.566.amzn2',
  '4.14.35-257.562.amzn2',
  '5.10.210-201.852.amzn2',
  '5.10.93-54.144.amzn2',
  '5.10',
  '0:5.10',
  '4.14',
  '2.39.2-1.amzn2.0.3',
  '2.39.2-1.amzn2.0.1',
  '2.39.2-1.amzn2',
  '2:9.0.1367-1.amzn2.0.1',
  '2:9.0.2153-1.amzn2.0.1',
  '2024a-1.amzn2023.0.1',
  '2023c-1.amzn2023.0.1',
  '2023.3.20240117-0.amzn2023',
  '8.7p1-12.amzn2023.0.3',
  '8.7p1-8.amzn2023.0.10',
  '1:1.8.0_402.b08-1.amzn2',
  '1:11.0.22+7-1.amzn2',
  '1:8.0',
  '8.0.30-1.amzn2',
];

describe('rpmScheme', () => {
  describe('when versions differ', () => {
    itOrdersPairs(rpmScheme, [
      ['1.0', '1.0.1'],
      ['1.2', '1.10'],
      ['1.0~rc1', '1.0'],
      ['1.0~~', '1.0~'],
      ['1.0', '1.0^git1'],
      ['1.0^git1', '1.0^git2'],
      ['1.0^git1', '1.0.1'],
      ['1.0~rc1^git1', '1.0~rc1.1'],
      ['1.0a', '1.0.1'],
      ['a', '1'],
      ['1.0B', '1.0a'],
      ['2.0', '1:1.0'],
      ['1:9', '2:0.1'],
      ['0:1.0-1', '1.0-2'],
      ['1.0', '1.0-1'],
      ['1.0-1.el9', '1.0-1.el9_2'],
      ['7.4.0-1.el9_2', '7.4.1-1.el9'],
      ['1.1.1k-9.el8_7', '1.1.1l-1.el8'],
      ['5.2.15-1', '5.2.15^20230101git-1'],
      ['5.2.15^20230101git-1', '5.2.16-1'],
      ['0:1.0~beta-1', '1.0-1'],
      ['1.0-1', '1.0.0-1'],
    ]);
  });

  describe('when versions are written differently but equal', () => {
    itTreatsAsEqual(rpmScheme, [
      ['1.0', '0:1.0'],
      ['0:1.0', '00:1.0'],
      ['1.01', '1.1'],
      ['1.0', '1_0'],
      ['1.0', '1.0.'],
      ['1.0+git', '1.0_git'],
      ['1.0-1.el9', '1.0-1_el9'],
    ]);
  });

  describe('when a version is not one rpmbuild would let into a package', () => {
    itFailsOn(rpmScheme, [
      ['', 'version string is empty'],
      [':1', 'epoch before ":" is empty'],
      ['1:', 'version is empty'],
      ['-1', 'version is empty'],
      ['1.0-', 'release is empty'],
      ['a:1', 'version "a:1" has a character other than letters, digits and ._+%{}~^'],
      ['1:2:3', 'version "2:3" has a character other than letters, digits and ._+%{}~^'],
      ['1-2-3', 'version "1-2" has a character other than letters, digits and ._+%{}~^'],
      ['1.0 ', 'version "1.0 " has a character other than letters, digits and ._+%{}~^'],
      ['1.0-1é', 'release "1é" has a character other than letters, digits and ._+%{}~^'],
      ['1..2', 'version "1..2" contains ".."'],
      ['1.2-3..el9', 'release "3..el9" contains ".."'],
    ]);
  });

  describe('when a list is sorted', () => {
    const ascending = ['1.0~rc1', '1.0', '1.0-1', '1.0-1.el9', '1.0^git1-1', '1.0.1', '1:0.1'];
    itSortsAnyPermutation(rpmScheme, ascending, 11);
    itKeepsEqualInOrder(rpmScheme, ['1.01', '0:1.1', '1_1', '1.1']);
  });

  describe('when versions are of Amazon Linux', () => {
    itOrdersPairs(rpmScheme, [
      ['1:3.0.8-1.amzn2023.0.2', '1:3.0.8-1.amzn2023.0.11'],
      ['2.0.20231218-1.amzn2023.0.1', '2.0.20231218-1.amzn2023.0.11'],
      ['4.14.336-257.562.amzn2', '5.10'],
      ['5.10', '5.10.210-201.852.amzn2'],
      ['2.39.2-1.amzn2', '2.39.2-1.amzn2.0.3'],
      ['3.2.2-1.amzn2023.0.1', '1:3.0.8-1.amzn2023.0.2'],
    ]);
    const pairs = AMAZON_VERSIONS.flatMap((a) => AMAZON_VERSIONS.map((b): Pair => [a, b]));
    const answers = answersOf(() => {
      requireTool('rpm');
      return rpmOrders(pairs);
    }, 60_000);
    itOrdersAsReference(
      rpmScheme,
      `orders ${pairs.length} pairs of Amazon Linux versions as rpm does`,
      { pairs, orders: answers, atLeast: pairs.length },
    );
  });

  describe('when compared with rpm.vercmp', () => {
    const random = new SeededRandom(20_240_602);
    const plain = generatedPairs(random, 2_000, () => rpmVersion(random), '0123456789.._+~~^^azA');
    const evrs = generatedPairs(random, 3_000, () => rpmEvr(random), '0123456789._+~^aA-:');
    const answers = answersOf(() => {
      requireTool('rpm');
      return { plain: rpmOrders(plain), evrs: rpmOrders(evrs) };
    }, 60_000);

    itOrdersAsReference(
      rpmScheme,
      `orders ${plain.length} pairs of bare versions as rpmvercmp does`,
      {
        pairs: plain,
        orders: () => answers().plain,
        atLeast: 1_500,
      },
    );
    itOrdersAsReference(
      rpmScheme,
      `orders ${evrs.length} pairs of epoch:version-release as rpm does`,
      {
        pairs: evrs,
        orders: () => answers().evrs,
        atLeast: 2_500,
      },
    );
  });
});

/** A version as Fedora, RHEL and SUSE write them, e.g. `1.1.1k`, `5.2.15^20230101git`. */
function rpmVersion(random: SeededRandom): string {
  const parts = Array.from({ length: 1 + random.int(4) }, () => random.pick(NUMBERS));
  const tail = random.chance(0.4) ? random.pick([...TAILS, ...MORE_TAILS]) : '';
  return parts.join('.') + tail;
}

/** `[epoch:]version[-release]`, e.g. `1:7.4.0-1.el9_2`. */
function rpmEvr(random: SeededRandom): string {
  const epoch = random.chance(0.35) ? `${random.pick(['0', '0', '1', '2', '10', '00'])}:` : '';
  const release = random.chance(0.8)
    ? `-${random.pick([...RELEASES, ...MORE_RELEASES, ...AMAZON_RELEASES])}`
    : '';
  return epoch + rpmVersion(random) + release;
}

/**
 * Pairs of related versions (one edited from the other) and unrelated ones, of those the scheme
 * accepts (what it refuses is specified above; rpm itself compares nearly any string).
 */
function generatedPairs(
  random: SeededRandom,
  count: number,
  version: () => string,
  alphabet: string,
): Pair[] {
  const pool = Array.from({ length: 400 }, version);
  return Array.from({ length: count }, (): Pair => {
    const a = random.pick(pool);
    if (random.chance(0.25)) return [a, random.pick(pool)];
    let b = a;
    for (let edits = 1 + random.int(2); edits > 0; edits--) b = random.mutate(b, alphabet);
    return random.chance(0.5) ? [a, b] : [b, a];
  }).filter(([a, b]) => rpmScheme.isValid(a) && rpmScheme.isValid(b));
}
