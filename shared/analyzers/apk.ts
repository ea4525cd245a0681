import type { Analyzer, AnalyzerFile, AnalyzerResult, FoundPackage } from './analyzer';

const INSTALLED = 'lib/apk/db/installed';
/** `so:libc.musl-x86_64.so.1`, `cmd:sh` and `pc:` are provides, not packages; `!foo` is a conflict. */
const NOT_A_PACKAGE = /^(?:so|cmd|pc|py3?|ocaml\d*):|^!/;

/**
 * Alpine (and Wolfi/Chainguard) packages from apk's database, `lib/apk/db/installed`: records
 * of `K:value` lines separated by blank lines (https://wiki.alpinelinux.org/wiki/Apk_spec).
 */
export const apkAnalyzer: Analyzer = {
  name: 'apk',
  version: 1,
  wants: (path) => path === INSTALLED,
  analyze(file) {
    return parseInstalled(file);
  },
};

interface ApkRecord {
  readonly line: number;
  readonly fields: Map<string, string[]>;
  /** F (directory) and R (file in the last directory) in order, joined. */
  readonly files: string[];
}

function parseInstalled(file: AnalyzerFile): AnalyzerResult {
  const packages: FoundPackage[] = [];
  const problems: { reason: string }[] = [];
  for (const record of recordsOf(file.bytes.toString('utf8'), problems)) {
    const found = packageOf(record);
    if (typeof found === 'string') problems.push({ reason: found });
    else packages.push(found);
  }
  if (file.truncated)
    problems.push({
      reason: 'the database is larger than the read limit; packages past it are missing',
    });
  return { packages, problems };
}

function recordsOf(text: string, problems: { reason: string }[]): ApkRecord[] {
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
      problems.push({
        reason: `line ${i + 1}: expected "K:value", got ${JSON.stringify(line.slice(0, 60))}`,
      });
      return;
    }
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    if (key === 'F') directory = value;
    if (key === 'R') current.files.push(directory === '' ? value : `${directory}/${value}`);
    current.fields.set(key, [...(current.fields.get(key) ?? []), value]);
  });
  return records;
}

function packageOf(record: ApkRecord): FoundPackage | string {
  const get = (key: string) => record.fields.get(key)?.[0];
  const [name, version] = [get('P'), get('V')];
  if (!name || !version) return `record at line ${record.line}: P (name) or V (version) missing`;
  const [arch, origin, license, maintainer] = [get('A'), get('o'), get('L'), get('m')];
  return {
    type: 'apk',
    name,
    version,
    ...(arch !== undefined && { arch }),
    source: { name: origin ?? name, version },
    ...(license !== undefined && { licenses: [license] }),
    dependencies: dependenciesOf(get('D')),
    files: record.files,
    ...(maintainer !== undefined && { supplier: maintainer }),
  };
}

/** `musl>=1.2 so:libc.musl-x86_64.so.1 busybox` → musl, busybox. */
function dependenciesOf(field: string | undefined): string[] {
  const names = (field ?? '')
    .split(/\s+/)
    .filter((d) => d !== '' && !NOT_A_PACKAGE.test(d))
    .map((d) => d.split(/[<>=~]/, 1)[0]!);
  return [...new Set(names)].sort();
}
