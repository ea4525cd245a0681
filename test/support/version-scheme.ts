import { InvalidVersionError } from '../../shared/versions/errors';
import type { VersionScheme } from '../../shared/versions/scheme';
import { SeededRandom, type Order, type Pair } from './version-oracles-os';

/**
 * The `it` blocks the version-scheme tests (test/versions) share. Each states one property of a
 * scheme over the cases given, titled as that property, inside the caller's `describe('when …')`;
 * the cases, generators, seeds, reference tools and known disagreements stay with each scheme.
 */

/** Versions, or `[version, why]` pairs whose `why` a title shows with `%s`. */
type Cases = readonly string[] | readonly (readonly [version: string, why: string])[];

/** At most this many disagreements with a reference are shown, to keep a failure readable. */
const SHOWN = 20;

/** The sign of `scheme.compare(a, b)`: -1, 0 or 1. */
export function orderOf(scheme: VersionScheme, a: string, b: string): number {
  return Math.sign(scheme.compare(a, b));
}

/** Each version of `list` with the one after it: `[a, b, c]` gives `[a, b]` and `[b, c]`. */
export function neighbours(list: readonly string[]): Pair[] {
  return list.slice(1).map((next, i): Pair => [list[i]!, next]);
}

/** `orders %j before %j` for each `[older, newer]`: -1 compared one way, 1 the other way. */
export function itOrdersPairs(scheme: VersionScheme, pairs: readonly Pair[]): void {
  it.each(pairs)('orders %j before %j', (older, newer) => {
    expect(orderOf(scheme, older, newer)).toBe(-1);
    expect(orderOf(scheme, newer, older)).toBe(1);
  });
}

/** {@link itOrdersPairs} for each version of `ascending` and the one after it. */
export function itOrdersAscending(scheme: VersionScheme, ascending: readonly string[]): void {
  itOrdersPairs(scheme, neighbours(ascending));
}

/**
 * `treats %j and %j as equal` (or `title`) for each pair: `compare` gives 0, which also says
 * that the scheme accepts both, since it throws for a version it refuses.
 */
export function itTreatsAsEqual(
  scheme: VersionScheme,
  pairs: readonly Pair[],
  title = 'treats %j and %j as equal',
): void {
  it.each(pairs)(title, (a, b) => {
    expect(orderOf(scheme, a, b)).toBe(0);
  });
}

/** `accepts %j` for each version: `isValid` is true. */
export function itAccepts(scheme: VersionScheme, versions: readonly string[]): void {
  it.each(versions.map((version) => [version] as const))('accepts %j', (version) => {
    expect(scheme.isValid(version)).toBe(true);
  });
}

/** `is not valid: %j` (or `title`, such as `is not valid: %j (%s)`) for each case: not `isValid`. */
export function itRefuses(scheme: VersionScheme, cases: Cases, title = 'is not valid: %j'): void {
  it.each(rows(cases))(title, (version) => {
    expect(scheme.isValid(version)).toBe(false);
  });
}

/**
 * `fails when the version is %j`, or `… %j (%s)` for `[version, reason]` cases: not `isValid`,
 * and `compare` with the version on either side (against `1.0`) throws an
 * {@link InvalidVersionError} naming the version and scheme, with exactly that reason if given.
 */
export function itFailsOn(scheme: VersionScheme, cases: Cases): void {
  const why = cases.some((c) => typeof c !== 'string') ? ' (%s)' : '';
  it.each(rows(cases))(`fails when the version is %j${why}`, (version, reason) => {
    expect(scheme.isValid(version)).toBe(false);
    const error =
      reason === undefined
        ? `"${version}" is not a valid ${scheme.name} version`
        : new InvalidVersionError(scheme.name, version, reason);
    const throws = (compare: () => number) => {
      expect(compare).toThrow(InvalidVersionError);
      expect(compare).toThrow(error);
    };
    throws(() => scheme.compare(version, '1.0'));
    throws(() => scheme.compare('1.0', version));
  });
}

/**
 * `fails when it is compared`: `compare(a, b)` of each case throws an {@link InvalidVersionError},
 * with `message` in its message where given.
 */
export function itFailsToCompare(
  scheme: VersionScheme,
  ...cases: readonly (readonly [a: string, b: string, message?: string])[]
): void {
  it('fails when it is compared', () => {
    for (const [a, b, message] of cases) {
      expect(() => scheme.compare(a, b)).toThrow(InvalidVersionError);
      if (message !== undefined) expect(() => scheme.compare(a, b)).toThrow(message);
    }
  });
}

/** `puts any permutation in the same order`: 20 shuffles of `ascending` (from `seed`) sort back. */
export function itSortsAnyPermutation(
  scheme: VersionScheme,
  ascending: readonly string[],
  seed: number,
): void {
  it('puts any permutation in the same order', () => {
    const random = new SeededRandom(seed);
    for (let round = 0; round < 20; round++) {
      expect(random.shuffle(ascending).sort(scheme.compare)).toEqual(ascending);
    }
  });
}

/** `keeps equal versions in their original order`: sorting versions that are equal moves none. */
export function itKeepsEqualInOrder(scheme: VersionScheme, equal: readonly string[]): void {
  it('keeps equal versions in their original order', () => {
    expect([...equal].sort(scheme.compare)).toEqual(equal);
  });
}

/**
 * `orders them consistently: antisymmetric and transitive`: each pair of `versions` compares
 * one way as the opposite of the other (a version with itself as 0), and once they are sorted
 * none compares after one that follows it.
 */
export function itOrdersConsistently(scheme: VersionScheme, versions: readonly string[]): void {
  it('orders them consistently: antisymmetric and transitive', () => {
    const order = (a: string, b: string) => orderOf(scheme, a, b);
    const withEach = (a: string, others: readonly string[]) => others.map((b): Pair => [a, b]);
    const everyPair = versions.flatMap((a) => withEach(a, versions));
    expect(everyPair.filter(([a, b]) => order(a, b) !== -order(b, a))).toEqual([]);
    const sorted = [...versions].sort(scheme.compare);
    const sortedPairs = sorted.flatMap((a, i) => withEach(a, sorted.slice(i + 1)));
    expect(sortedPairs.filter(([a, b]) => order(a, b) > 0)).toEqual([]);
  });
}

/**
 * A reference implementation's answers, asked in a `beforeAll` of the calling `describe` (with
 * `timeout` for a slow tool); the getter returned reads them, inside a test.
 */
export function answersOf<T>(ask: () => T | Promise<T>, timeout?: number): () => T {
  let answers: { readonly value: T } | undefined;
  beforeAll(async () => {
    answers = { value: await ask() };
  }, timeout);
  return () => {
    if (answers === undefined) throw new Error('the reference has not answered (read in a test)');
    return answers.value;
  };
}

/** A version on which this scheme's answer is not the reference's. */
type Disagreement<T> = { readonly version: string; readonly expected: T; readonly actual: T };

/**
 * `title`: `ours` of each of `versions` is the reference's answer (`theirs()`, one a version),
 * but for exactly the `known` disagreements, which the caller explains.
 */
export function itAnswersAsReference<T>(
  title: string,
  versions: readonly string[],
  ours: (version: string) => T,
  theirs: () => readonly T[],
  known: readonly Disagreement<T>[] = [],
): void {
  it(title, () => {
    const expected = theirs();
    expect(expected).toHaveLength(versions.length);
    const disagreements = versions.flatMap((version, i): Disagreement<T>[] => {
      const actual = ours(version);
      return actual === expected[i] ? [] : [{ version, expected: expected[i]!, actual }];
    });
    expect(disagreements.slice(0, SHOWN)).toEqual(known);
  });
}

/** {@link itAnswersAsReference} of `isValid`: the scheme accepts what the reference accepts. */
export function itAcceptsAsReference(
  scheme: VersionScheme,
  title: string,
  versions: readonly string[],
  accepted: () => readonly boolean[],
  known: readonly Disagreement<boolean>[] = [],
): void {
  itAnswersAsReference(title, versions, (version) => scheme.isValid(version), accepted, known);
}

/**
 * For {@link itOrdersAsReference}: the pairs (or a getter, where the reference chooses them),
 * the reference's order of each (null where it refuses either version), how many it must order
 * for the test to mean something, and whether to pass over the pairs this scheme refuses (where
 * it knowingly refuses what the reference accepts).
 */
export interface ReferenceOrders {
  readonly pairs: readonly Pair[] | (() => readonly Pair[]);
  readonly orders: () => readonly (Order | null)[];
  readonly atLeast: number;
  readonly passOverRefused?: boolean;
}

/** `title`: the reference orders `atLeast` of the pairs, and this scheme each as it does. */
export function itOrdersAsReference(
  scheme: VersionScheme,
  title: string,
  of: ReferenceOrders,
): void {
  it(title, () => {
    const [pairs, orders] = [typeof of.pairs === 'function' ? of.pairs() : of.pairs, of.orders()];
    expect(orders).toHaveLength(pairs.length);
    const ordered = pairs.filter((_, i) => orders[i] !== null);
    expect(ordered.length).toBeGreaterThanOrEqual(of.atLeast);
    const refused = (version: string) => of.passOverRefused === true && !scheme.isValid(version);
    const disagreements = pairs.flatMap(([a, b], i) => {
      const expected = orders[i];
      if (expected === null || refused(a) || refused(b)) return [];
      const actual = orderOf(scheme, a, b);
      return actual === expected ? [] : [{ a, b, expected, actual }];
    });
    expect(disagreements.slice(0, SHOWN)).toEqual([]);
  });
}

/** A table for `it.each`: a row a case, `why` undefined for a bare version. */
function rows(cases: Cases): (readonly [string, string | undefined])[] {
  return cases.map((c) => (typeof c === 'string' ? [c, undefined] : c));
}
