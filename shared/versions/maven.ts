import { InvalidVersionError } from './errors';
import { memoized, type VersionScheme } from './scheme';

/**
 * Maven versions, ordered as Maven 3.8's `ComparableVersion` orders them
 * (maven-artifact, org.apache.maven.artifact.versioning.ComparableVersion;
 * https://maven.apache.org/pom.html#version-order-specification): the version is split into
 * numbers and qualifiers at `.`, at `-` (which opens a nested list) and where digits and letters
 * meet; trailing zeros and release qualifiers are dropped; the known qualifiers order
 * `alpha < beta < milestone < rc < snapshot < "" (ga, final, release) < sp`, unknown ones after
 * them, alphabetically. `ComparableVersion` places any string; the empty string is not a
 * version here, as Maven refuses a project or dependency without one.
 */
export const mavenScheme: VersionScheme = {
  name: 'maven',
  isValid: (version) => version !== '',
  compare(a, b) {
    return compareLists(parsed(a), parsed(b));
  },
};

/** The canonical form `ComparableVersion.getCanonical()` prints: equal versions share it. */
export function mavenCanonical(version: string): string {
  return listText(parsed(version));
}

type Item = NumberItem | QualifierItem | ListItem;

interface NumberItem {
  readonly type: 'number';
  /** Maven's `IntItem` (0), `LongItem` (1) or `BigIntegerItem` (2), by the digits' count. */
  readonly width: number;
  readonly value: bigint;
}

interface QualifierItem {
  readonly type: 'qualifier';
  readonly value: string;
}

interface ListItem {
  readonly type: 'list';
  readonly items: Item[];
}

/** Digits (leading zeros stripped) that still fit an `int`, then a `long`. */
const MAX_INT_DIGITS = 9;
const MAX_LONG_DIGITS = 18;
const ZERO: NumberItem = { type: 'number', width: 0, value: 0n };
const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES = new Map(Object.entries({ ga: '', final: '', release: '', cr: 'rc' }));
const SHORT_FORMS = new Map(Object.entries({ a: 'alpha', b: 'beta', m: 'milestone' }));
const RELEASE_INDEX = String(QUALIFIERS.indexOf(''));

const parsed = memoized((version: string): ListItem => {
  if (version === '') throw new InvalidVersionError('maven', version, 'the version is empty');
  return parse(version);
});

/**
 * `ComparableVersion.parseVersion` of Maven 3.8, step for step. A qualifier followed by digits
 * opens a list of its own unless it starts one, so `1.alpha1` reads as `1-alpha-1`.
 */
function parse(version: string): ListItem {
  const text = version.toLowerCase();
  const root: ListItem = { type: 'list', items: [] };
  const lists = [root];
  const open = (parent: ListItem): ListItem => {
    const list: ListItem = { type: 'list', items: [] };
    parent.items.push(list);
    lists.push(list);
    return list;
  };
  let list = root;
  let inDigits = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '.' || char === '-') {
      list.items.push(i === start ? ZERO : item(inDigits, text.slice(start, i)));
      start = i + 1;
      if (char === '-') list = open(list);
    } else if (isDigit(char) !== inDigits) {
      // A change between digits and other characters ends an item and opens a list.
      if (i > start) {
        if (!inDigits && list.items.length > 0) list = open(list);
        list.items.push(inDigits ? number(text.slice(start, i)) : qualifier(text.slice(start, i)));
        start = i;
        list = open(list);
      }
      inDigits = !inDigits;
    }
  }
  if (text.length > start) {
    if (!inDigits && list.items.length > 0) list = open(list);
    list.items.push(item(inDigits, text.slice(start)));
  }
  // Maven normalises the innermost list first, so an emptied list counts as null outside.
  for (const each of lists.reverse()) normalize(each);
  return root;
}

function item(inDigits: boolean, text: string): Item {
  return inDigits ? number(text) : qualifier(text, false);
}

function number(text: string): NumberItem {
  // Maven strips ASCII zeros only, and keeps an all-zero run whole.
  const stripped = /^0*$/.test(text) ? text : text.replace(/^0+/, '');
  const width = stripped.length <= MAX_INT_DIGITS ? 0 : stripped.length <= MAX_LONG_DIGITS ? 1 : 2;
  return { type: 'number', width, value: digitsValue(stripped) };
}

/** A qualifier; a lone `a`, `b` or `m` followed by a digit is short for alpha, beta, milestone. */
function qualifier(text: string, followedByDigit = true): QualifierItem {
  const expanded = (followedByDigit && SHORT_FORMS.get(text)) || text;
  return { type: 'qualifier', value: ALIASES.get(expanded) ?? expanded };
}

/** Drops trailing zeros, release qualifiers and empty lists, looking past nested lists. */
function normalize(list: ListItem): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const last = list.items[i]!;
    if (isNull(last)) list.items.splice(i, 1);
    else if (last.type !== 'list') break;
  }
}

function isNull(item: Item): boolean {
  if (item.type === 'number') return item.value === 0n;
  if (item.type === 'qualifier') return item.value === '';
  return item.items.length === 0;
}

/** `item.compareTo(other)`, where a missing item stands for the end of the shorter list. */
function compareItem(item: Item, other: Item | undefined): number {
  if (item.type === 'number') return compareNumber(item, other);
  if (item.type === 'qualifier') return compareQualifier(item, other);
  // Against nothing, a list is what its first item that differs from nothing is.
  if (other === undefined) return item.items.reduce((r, each) => r || compareItem(each, other), 0);
  if (other.type === 'list') return compareLists(item, other);
  return other.type === 'number' ? -1 : 1;
}

function compareNumber(item: NumberItem, other: Item | undefined): number {
  if (other === undefined) return item.value === 0n ? 0 : 1;
  if (other.type !== 'number') return 1;
  // Widths differ only when the values do: a wider number is the larger one.
  if (item.width !== other.width) return Math.sign(item.width - other.width);
  return compareValues(item.value, other.value);
}

function compareQualifier(item: QualifierItem, other: Item | undefined): number {
  if (other === undefined) return compareValues(comparable(item.value), RELEASE_INDEX);
  if (other.type !== 'qualifier') return -1;
  return compareValues(comparable(item.value), comparable(other.value));
}

function compareLists(list: ListItem, other: ListItem): number {
  const length = Math.max(list.items.length, other.items.length);
  for (let i = 0; i < length; i++) {
    const left = list.items[i];
    const right = other.items[i];
    const result = left === undefined ? -compareItem(right!, undefined) : compareItem(left, right);
    if (result !== 0) return result;
  }
  return 0;
}

/** Known qualifiers by their rank, unknown ones after all of them, in lexical order. */
function comparable(qualifier: string): string {
  const index = QUALIFIERS.indexOf(qualifier);
  return index < 0 ? `${QUALIFIERS.length}-${qualifier}` : String(index);
}

/** Numbers; strings by UTF-16 code units, as Java's `String.compareTo` compares them. */
function compareValues<T extends bigint | string>(a: T, b: T): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function listText(list: ListItem): string {
  let text = '';
  for (const each of list.items) {
    // Maven adds a separator only once something has been written.
    if (text.length > 0) text += each.type === 'list' ? '-' : '.';
    text += each.type === 'list' ? listText(each) : String(each.value);
  }
  return text;
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;
/** Java's `Character.isDigit` on one UTF-16 unit: any decimal digit, not only ASCII. */
const isDigit = (char: string) => DECIMAL_DIGIT.test(char);

/** The value Java's `Integer.parseInt`/`BigInteger` read from decimal digits of any script. */
function digitsValue(digits: string): bigint {
  if (/^[0-9]+$/.test(digits)) return BigInt(digits);
  return [...digits].reduce((value, char) => value * 10n + BigInt(digitOf(char)), 0n);
}

/** Every script's digits run from 0 to 9 in ten consecutive code points. */
function digitOf(char: string): number {
  const code = char.charCodeAt(0);
  let digit = 0;
  while (digit < 9 && isDigit(String.fromCharCode(code - digit - 1))) digit++;
  return digit;
}
