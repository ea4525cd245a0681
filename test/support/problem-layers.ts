import { rawTar, type RawEntry } from './raw-tar';

/**
 * A tar of `count` copies of one entry, built by copying a single header: a layer of hundreds of
 * thousands of hostile entries (names that escape the root, hard links to nothing) in a blink.
 */
export function repeatedEntryTar(entry: RawEntry, count: number, last?: RawEntry): Buffer {
  const header = rawTar([entry], { end: false });
  const entries = Buffer.alloc(header.length * count);
  for (let at = 0; at < entries.length; at += header.length) header.copy(entries, at);
  return Buffer.concat([entries, rawTar(last === undefined ? [] : [last])]);
}

/** More problems than a list spread into `push(...)` survives (~125,000 on Node 22's stack). */
export const STACK_BREAKING_COUNT = 200_000;
