import { normaliseEntryPath } from '../layers';
import type { Analyzer, AnalyzerFile, AnalyzerResult, FoundPackage } from './analyzer';

const INSTALLED = 'lib/apk/db/installed';
/** Where a dependency's version constraint starts: `foo>=1.2`, `foo=1.2-r0`, `foo~1.2`, `foo<2`. */
const CONSTRAINT = /[<>=~]/;
/** `!foo` in D: is a conflict, not a dependency. */
const CONFLICT = '!';
const TRUNCATED =
  'the database is larger than the read limit; its last, cut record and the packages past it are missing';

/**
 * Alpine (and Wolfi/Chainguard) packages from apk's database, `lib/apk/db/installed`: records
 * of `K:value` lines separated by blank lines (https://wiki.alpinelinux.org/wiki/Apk_spec).
 * Dependencies on provided names (`so:libc.musl-x86_64.so.1`, `cmd:sh`) and on files (`/bin/sh`)
 * are resolved to the installed package that provides them; unresolved ones are kept as written.
 */
export const apkAnalyzer: Analyzer = {
  name: 'apk',
  version: 2,
  wants: (path) => path === INSTALLED,
  analyze(file) {
    return parseInstalled(file);
  },
};

interface ApkRecord {
  /** 1-based line of the record's first line, for problems. */
  readonly line: number;
  readonly fields: Map<string, string[]>;
  /** F (directory) and R (file in the last F directory) joined, as written. */
  readonly files: string[];
}

type Problem = { reason: string };

function parseInstalled(file: AnalyzerFile): AnalyzerResult {
  const problems: Problem[] = [];
  const text = file.bytes.toString('utf8');
  const records = recordsOf(text, problems);
  // A cut file's last record may be cut mid-value (`V:1.2` of `V:1.2.5-r0`): not to be trusted.
  if (file.truncated && !/\n\s*\n\s*$/.test(text)) records.pop();
  const named = records.flatMap((record) => {
    const missing = ['P', 'V'].filter((key) => !record.fields.get(key)?.[0]);
    if (missing.length === 0) return [record];
    problems.push({ reason: `record at line ${record.line}: no ${missing.join(' or ')} field` });
    return [];
  });
  const filesOf = new Map(named.map((r) => [r, normalisedFiles(r, problems)]));
  const providers = providersOf(named, filesOf);
  const packages = named.map((r) => packageOf(r, filesOf.get(r)!, providers));
  if (file.truncated) problems.push({ reason: TRUNCATED });
  return { packages, problems };
}

function recordsOf(text: string, problems: Problem[]): ApkRecord[] {
  const records: ApkRecord[] = [];
  let current: ApkRecord | undefined;
  let directory = '';
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') {
      current = undefined;
      return;
    }
    if (current === undefined) {
      current = { line: i + 1, fields: new Map(), files: [] };
      records.push(current);
      directory = '';
    }
    const colon = line.indexOf(':');
    if (colon < 1) {
      const got = JSON.stringify(line.slice(0, 60));
      problems.push({ reason: `line ${i + 1}: expected "K:value", got ${got}` });
      return;
    }
    const [key, value] = [line.slice(0, colon), line.slice(colon + 1)];
    if (key === 'F') directory = value;
    if (key === 'R') current.files.push(`${directory}/${value}`);
    current.fields.set(key, [...(current.fields.get(key) ?? []), value]);
  });
  return records;
}

function normalisedFiles(record: ApkRecord, problems: Problem[]): string[] {
  return record.files.flatMap((written) => {
    const normalised = normaliseEntryPath(written);
    if (normalised.ok) return [normalised.path];
    problems.push({ reason: `record at line ${record.line}: ${normalised.reason}` });
    return [];
  });
}

/** Package name by every name it answers to: its own, its provides (p:) and its files. */
function providersOf(
  records: readonly ApkRecord[],
  filesOf: ReadonlyMap<ApkRecord, readonly string[]>,
): Map<string, string> {
  const providers = new Map<string, string>();
  for (const record of records) {
    const name = nameOf(record);
    const provides = (record.fields.get('p') ?? []).flatMap(words).map(withoutConstraint);
    for (const provided of provides) if (!providers.has(provided)) providers.set(provided, name);
    for (const path of filesOf.get(record)!) providers.set(`/${path}`, name);
  }
  // A package's own name wins over another's provides of it.
  for (const record of records) providers.set(nameOf(record), nameOf(record));
  return providers;
}

function packageOf(
  record: ApkRecord,
  files: readonly string[],
  providers: ReadonlyMap<string, string>,
): FoundPackage {
  // Virtual packages (`apk add --virtual`) write empty `L:` and `U:`: nothing declared.
  const get = (key: string) => record.fields.get(key)?.[0] || undefined;
  const [name, version] = [nameOf(record), get('V')!];
  const [arch, origin, license, maintainer] = [get('A'), get('o'), get('L'), get('m')];
  return {
    type: 'apk',
    name,
    version,
    ...(arch !== undefined && { arch }),
    // apk records only the origin's name; an origin is built at the version of its subpackages.
    ...(origin !== undefined && { source: { name: origin, version } }),
    ...(license !== undefined && { licenses: [license] }),
    dependencies: dependenciesOf(record, providers),
    files,
    ...(maintainer !== undefined && { supplier: maintainer }),
  };
}

/** `musl>=1.2 so:libc.musl-x86_64.so.1 /bin/sh !conflict` → musl, busybox-binsh (once each). */
function dependenciesOf(record: ApkRecord, providers: ReadonlyMap<string, string>): string[] {
  const self = nameOf(record);
  const names = (record.fields.get('D') ?? [])
    .flatMap(words)
    .filter((d) => !d.startsWith(CONFLICT))
    .map(withoutConstraint)
    .map((d) => providers.get(d) ?? d)
    .filter((d) => d !== self);
  return [...new Set(names)].sort();
}

/** The P field, present on every record past {@link parseInstalled}'s check. */
function nameOf(record: ApkRecord): string {
  return record.fields.get('P')![0]!;
}

function words(field: string): string[] {
  return field.split(/\s+/).filter((w) => w !== '');
}

function withoutConstraint(dependency: string): string {
  return dependency.split(CONSTRAINT, 1)[0]!;
}
