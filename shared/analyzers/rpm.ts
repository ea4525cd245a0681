import type { Analyzer, AnalyzerFile, AnalyzerResult, FoundPackage } from './analyzer';
import { bdbBlobs } from './rpm/bdb';
import type { BlobsRead } from './rpm/blobs';
import { messageOf } from '../core';
import { parseHeader } from './rpm/header';
import { ndbBlobs } from './rpm/ndb';
import { packageOf } from './rpm/package';
import { sqliteBlobs } from './rpm/sqlite';

/** rpm keeps its database in one of these directories (`_dbpath`; newer distributions use the second). */
const DB_DIRS = ['var/lib/rpm/', 'usr/lib/sysimage/rpm/'];
/** The package database file of each backend, by file name. */
const READERS: Readonly<Record<string, (bytes: Buffer) => BlobsRead>> = {
  'rpmdb.sqlite': (bytes) => ({ blobs: sqliteBlobs(bytes), problems: [] }),
  Packages: bdbBlobs,
  'Packages.db': ndbBlobs,
};

/**
 * Red Hat, Fedora, Amazon Linux, CentOS and SUSE packages from rpm's package database: sqlite
 * (`rpmdb.sqlite`), Berkeley DB (`Packages`) or NDB (`Packages.db`). Each holds one rpm header
 * per installed package, decoded here without an rpm binary.
 */
export const rpmAnalyzer: Analyzer = {
  name: 'rpm',
  version: 1,
  wants: (path) => readerFor(path) !== undefined,
  analyze(file) {
    return analyzeDatabase(file);
  },
};

function readerFor(path: string): ((bytes: Buffer) => BlobsRead) | undefined {
  const dir = DB_DIRS.find((d) => path.startsWith(d));
  const name = dir === undefined ? undefined : path.slice(dir.length);
  return name !== undefined && Object.hasOwn(READERS, name) ? READERS[name] : undefined;
}

function analyzeDatabase(file: AnalyzerFile): AnalyzerResult {
  const problems: { reason: string }[] = [];
  const packages: FoundPackage[] = [];
  if (file.truncated)
    problems.push({
      reason: 'the database is larger than the read limit; packages past it are missing',
    });
  const reader = readerFor(file.path);
  if (reader === undefined) return { packages, problems: [{ reason: 'not an rpm database' }] };
  let read: BlobsRead;
  try {
    read = reader(file.bytes);
  } catch (error) {
    return { packages, problems: [...problems, { reason: messageOf(error) }] };
  }
  problems.push(...read.problems.map((reason) => ({ reason })));
  read.blobs.forEach((blob, i) => {
    try {
      const found = packageOf(parseHeader(blob));
      if (found !== undefined) packages.push(found);
    } catch (error) {
      problems.push({ reason: `package ${i + 1}: ${messageOf(error)}` });
    }
  });
  return { packages, problems };
}
