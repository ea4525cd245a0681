import type { Analyzer, AnalyzerFile, AnalyzerResult, FoundPackage } from './analyzer';
import { parseControlFile, type Stanza } from './control-file';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';
const INFO = 'var/lib/dpkg/info/';
const INSTALLED = 'install ok installed';
/** `usr/share/doc/<package>/copyright`, machine-readable (DEP-5) in most Debian packages. */
const COPYRIGHT = /^usr\/share\/doc\/([^/]+)\/copyright$/;
/** DEP-5 `License:` field: its first line is the short licence name. */
const LICENSE_FIELD = /^License:[ \t]*(\S[^\n]*)$/gm;
/** `Source: name (version)`, the version present when it differs from the binary's. */
const SOURCE_FIELD = /^(\S+)(?:\s+\(([^)]+)\))?$/;

/**
 * Debian packages from dpkg's database: `var/lib/dpkg/status`, distroless images' one-file-per-
 * package `status.d/`, and the file lists `info/*.list` / `*.md5sums` that say which package owns
 * which file (so Python or Node packages installed by apt are known to belong to their .deb).
 */
export const dpkgAnalyzer: Analyzer = {
  name: 'dpkg',
  version: 1,
  wants(path) {
    if (path === STATUS) return true;
    if (path.startsWith(STATUS_D)) return !path.slice(STATUS_D.length).includes('/');
    if (COPYRIGHT.test(path)) return true;
    return path.startsWith(INFO) && (path.endsWith('.list') || path.endsWith('.md5sums'));
  },
  analyze(file) {
    const copyright = COPYRIGHT.exec(file.path);
    if (copyright !== null) return licensesOf(copyright[1]!, file);
    if (file.path.startsWith(INFO)) return ownershipOf(file);
    // distroless writes a database per package and a `<pkg>.md5sums` beside it.
    if (file.path.startsWith(STATUS_D) && file.path.endsWith('.md5sums')) return ownershipOf(file);
    return packagesOf(file);
  },
};

function packagesOf(file: AnalyzerFile): AnalyzerResult {
  const { stanzas, problems } = parseControlFile(file.bytes.toString('utf8'));
  const packages: FoundPackage[] = [];
  const all = [...problems];
  // distroless status.d entries often omit Status: they are installed by construction.
  const requireStatus = file.path === STATUS;
  for (const stanza of stanzas) {
    const found = packageOf(stanza, requireStatus);
    if (typeof found === 'string') all.push({ reason: found });
    else if (found !== undefined) packages.push(found);
  }
  if (file.truncated)
    all.push({
      reason: 'the database is larger than the read limit; packages past it are missing',
    });
  return { packages, problems: all };
}

/** The package of an installed stanza, undefined for one not installed, or a problem. */
function packageOf(stanza: Stanza, requireStatus: boolean): FoundPackage | string | undefined {
  const f = stanza.fields;
  const status = f.get('Status');
  if (status !== undefined ? status !== INSTALLED : requireStatus) return undefined;
  const name = f.get('Package');
  const version = f.get('Version');
  if (!name || !version) return `stanza at line ${stanza.line}: Package or Version missing`;
  const source = sourceOf(f.get('Source'), name, version);
  const arch = f.get('Architecture');
  const supplier = f.get('Maintainer');
  return {
    type: 'deb',
    name,
    version,
    ...(arch !== undefined && { arch }),
    source,
    dependencies: dependencyNames(f.get('Pre-Depends'), f.get('Depends')),
    ...(supplier !== undefined && { supplier }),
  };
}

/** The source package; dpkg's default when `Source:` is absent is the binary package itself. */
function sourceOf(
  field: string | undefined,
  name: string,
  version: string,
): FoundPackage['source'] {
  const match = SOURCE_FIELD.exec(field?.trim() ?? '');
  if (match === null) return { name, version };
  return { name: match[1]!, version: match[2] ?? version };
}

/** `libc6 (>= 2.34), libssl3 | libssl1.1, perl:any` → libc6, libssl3, libssl1.1, perl. */
function dependencyNames(...fields: (string | undefined)[]): string[] {
  const names = new Set<string>();
  for (const field of fields) {
    for (const alternative of (field ?? '').split(/[,|]/)) {
      const name = alternative.trim().split(/[\s(:]/, 1)[0];
      if (name) names.add(name);
    }
  }
  return [...names].sort();
}

/** `info/openssl:amd64.list` (one path a line) or `*.md5sums` (`<md5>  <path>` lines). */
function ownershipOf(file: AnalyzerFile): AnalyzerResult {
  const base = file.path.slice(file.path.lastIndexOf('/') + 1);
  const md5sums = base.endsWith('.md5sums');
  const name = base.slice(0, base.lastIndexOf('.')).split(':')[0]!;
  const files: string[] = [];
  for (const line of file.bytes.toString('utf8').split('\n')) {
    const path = (md5sums ? line.slice(line.indexOf(' ') + 1) : line).trim().replace(/^\.?\//, '');
    if (path !== '' && path !== '.') files.push(path);
  }
  return { ownership: [{ type: 'deb', name, files }] };
}

/**
 * Licence short names from a DEP-5 copyright file (https://dep-team.pages.debian.net/deps/dep5/),
 * in order of first appearance. Free-form copyright files declare nothing machine-readable.
 */
function licensesOf(name: string, file: AnalyzerFile): AnalyzerResult {
  const text = file.bytes.toString('utf8');
  if (!/^Format:/m.test(text)) return {};
  const licenses = new Set<string>();
  for (const match of text.matchAll(LICENSE_FIELD)) licenses.add(match[1]!.trim());
  return { licenses: [{ type: 'deb', name, licenses: [...licenses] }] };
}
