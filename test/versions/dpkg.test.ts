import { dpkgScheme } from '../../shared/versions/dpkg';
import {
  dpkgAccepts,
  dpkgOrders,
  requireTool,
  SeededRandom,
  type Pair,
} from '../support/version-oracles-os';
import {
  answersOf,
  itAccepts,
  itAcceptsAsReference,
  itFailsOn,
  itKeepsEqualInOrder,
  itOrdersAsReference,
  itOrdersPairs,
  itSortsAnyPermutation,
  itTreatsAsEqual,
} from '../support/version-scheme';

const REVISIONS = ['1', '2', '10', '0ubuntu1', '2ubuntu1', '1ubuntu0.22.04.1', '9+deb12u8'];
const MORE_REVISIONS = ['1~deb12u1', '1+deb11u3', '1build1', '3+b1', '0.1', '1~bpo12+1', '2~exp1'];
const NUMBERS = ['0', '1', '2', '3', '4', '9', '10', '12', '15', '36', '57', '100', '01', '007'];
const UPSTREAM_TAILS = ['~rc1', '~beta2', '~', '~~', '~pre1', '+dfsg', '+dfsg1', '+ds', '+b1'];
const MORE_TAILS = ['+git20230101.abc1234', '+really1.2', '.orig', 'a', 'k', 'p1', '-1'];

describe('dpkgScheme', () => {
  describe('when versions differ', () => {
    itOrdersPairs(dpkgScheme, [
      ['1.0', '1.1'],
      ['1.0', '1.0.1'],
      ['1.2', '1.10'],
      ['1.0~rc1', '1.0'],
      ['1.0~~', '1.0~~a'],
      ['1.0~~a', '1.0~'],
      ['1.0~', '1.0'],
      ['1.0', '1.0a'],
      ['1.0a', '1.0+'],
      ['1.0z', '1.0.'],
      ['1.0', '1.0+dfsg'],
      ['2.0', '1:1.0'],
      ['1:9.9', '2:0.1'],
      ['1.0-1', '1.0-2'],
      ['1.0-2', '1.0-10'],
      ['1.0', '1.0-1'],
      ['2.36-9+deb12u7', '2.36-9+deb12u8'],
      ['3.0.15-1~deb12u1', '3.0.15-1'],
      ['2.4.57-2', '2.4.57-2ubuntu1'],
      ['1.2.3~rc1-1', '1.2.3-1'],
      ['1.1.1k-1', '1.1.1l-1'],
      ['1.0-2', '1.0-1-1'],
      ['1.0z', '1.0é'],
      ['1.0é', '1.0+'],
    ]);
  });

  describe('when versions are written differently but equal', () => {
    itTreatsAsEqual(dpkgScheme, [
      ['1.0', '0:1.0'],
      ['1.0', '00:1.0'],
      ['1.0', '1.00'],
      ['1.01', '1.1'],
      ['1.0', '1.0-0'],
      ['1.0', ' 1.0\t'],
      ['1:2:3', '01:2:3'],
    ]);
  });

  describe('when dpkg only warns about a version', () => {
    itAccepts(dpkgScheme, ['abc', '1.0_1', '1.0-1_2', '1.0é', '+1:1.0', '-0:1.0', '1:1.0-a:b']);
  });

  describe('when a version is malformed', () => {
    itFailsOn(dpkgScheme, [
      ['', 'version string is empty'],
      [' \t', 'version string is empty'],
      ['1 0', 'version string has embedded spaces'],
      [':1', 'epoch in version is empty'],
      ['a:1', 'epoch in version is empty'],
      ['1.0-a:b', 'epoch in version is not number'],
      ['1a:1', 'epoch in version is not number'],
      ['-1:1', 'epoch in version is negative'],
      ['2147483648:1', 'epoch in version is too big'],
      ['1:', 'nothing after colon in version number'],
      ['1.0-', 'revision number is empty'],
      ['-1', 'upstream version is empty'],
      ['1:-1', 'upstream version is empty'],
      ['1.0\0', 'version string contains a NUL character'],
    ]);
  });

  describe('when a list is sorted', () => {
    const ascending = [
      '~',
      '0',
      '1.0~rc1',
      '1.0',
      '1.0-1',
      '1.0-1ubuntu1',
      '1.0a',
      '1.0+b1',
      '1:0.1',
    ];
    itSortsAnyPermutation(dpkgScheme, ascending, 7);
    itKeepsEqualInOrder(dpkgScheme, ['1.00', '0:1.0', '1.0-0', '1.0']);
  });

  describe('when compared with dpkg --compare-versions', () => {
    const random = new SeededRandom(20_240_601);
    // dpkg reads '' as "no version" rather than parse it; the scheme refuses it (above).
    const pairs = [...generatedPairs(random, 3_200), ...edgePairs()].filter((p) => !p.includes(''));
    const versions = [...new Set([...pairs.flat(), ...junk(random, 600)])].filter((v) => v !== '');
    const answers = answersOf(async () => {
      requireTool('dpkg');
      requireTool('bash');
      const accepted = await dpkgAccepts(versions);
      const accepts = new Map(versions.map((v, i) => [v, accepted[i]!]));
      const comparable = pairs.filter(([a, b]) => accepts.get(a) && accepts.get(b));
      return { accepted, comparable, orders: await dpkgOrders(comparable) };
    }, 120_000);

    itAcceptsAsReference(
      dpkgScheme,
      `accepts exactly what dpkg accepts, of ${versions.length} versions`,
      versions,
      () => answers().accepted,
    );
    itOrdersAsReference(
      dpkgScheme,
      `orders the pairs (of ${pairs.length}) whose versions dpkg accepts as dpkg does`,
      { pairs: () => answers().comparable, orders: () => answers().orders, atLeast: 3_000 },
    );
  });
});

/** A version as Debian and Ubuntu write them, e.g. `1:2.36-9+deb12u8` or `3.0.15-1~deb12u1`. */
function debianVersion(random: SeededRandom): string {
  const epoch = random.chance(0.25) ? `${random.pick(['0', '1', '1', '2', '10'])}:` : '';
  const parts = Array.from({ length: 1 + random.int(4) }, () => random.pick(NUMBERS));
  if (random.chance(0.1)) parts.push(String(20_200_000 + random.int(40_000)));
  const tail = random.chance(0.4) ? random.pick([...UPSTREAM_TAILS, ...MORE_TAILS]) : '';
  const revision = random.chance(0.8) ? `-${random.pick([...REVISIONS, ...MORE_REVISIONS])}` : '';
  return `${epoch}${parts.join('.')}${tail}${revision}`;
}

/** Pairs of related versions (one edited from the other) and unrelated ones. */
function generatedPairs(random: SeededRandom, count: number): Pair[] {
  const pool = Array.from({ length: 400 }, () => debianVersion(random));
  return Array.from({ length: count }, (): Pair => {
    const a = random.pick(pool);
    if (random.chance(0.25)) return [a, random.pick(pool)];
    let b = a;
    for (let edits = 1 + random.int(2); edits > 0; edits--)
      b = random.mutate(b, '0123456789..~~++-:abzA');
    return random.chance(0.5) ? [a, b] : [b, a];
  });
}

/** Odd but accepted versions, each against each. */
function edgePairs(): Pair[] {
  const edges = ['~', '~~', '~a', '0', '0~', 'a', 'Z', '1.0~', '1.0~~a', '1.0.', '1.0-0', '1:2:3'];
  const more = ['1.0-1-1', '1.0é', '1.0-é', '1..0', '1.0~-1', '00:1', '+1:1', '-0:1', 'A1', '1.0@'];
  const all = [...edges, ...more, '2147483647:1', ' 1.0\t', '1.0\n', '1:1.0-a:b', '1.0-1_2'];
  return all.flatMap((a) => all.map((b): Pair => [a, b]));
}

/** Versions with characters dpkg warns about or refuses. */
function junk(random: SeededRandom, count: number): string[] {
  return Array.from({ length: count }, () =>
    random.mutate(random.mutate(debianVersion(random), ' \t:-!_é@'), '::--  ~'),
  );
}
