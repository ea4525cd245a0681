import type { Analyzer, AnalyzerFile, OsRelease } from './analyzer';

/** Where the distribution is named, most authoritative first (os-release(5), then fallbacks). */
const SOURCES = [
  'etc/os-release',
  'usr/lib/os-release',
  'etc/alpine-release',
  'etc/debian_version',
  'etc/redhat-release',
  'etc/system-release',
] as const;

/** `NAME release 9.4 (Codename)` in redhat-release / system-release, by distribution. */
const RELEASE_FILES: readonly [RegExp, string][] = [
  [/^Red Hat Enterprise Linux.* release (\S+)/, 'rhel'],
  [/^Rocky Linux release (\S+)/, 'rocky'],
  [/^AlmaLinux release (\S+)/, 'almalinux'],
  [/^CentOS(?: Linux| Stream)? release (\S+)/, 'centos'],
  [/^Fedora release (\S+)/, 'fedora'],
  [/^Oracle Linux Server release (\S+)/, 'ol'],
  [/^Amazon Linux release (\d+)/, 'amzn'],
  [/^Amazon Linux AMI release (\S+)/, 'amzn'],
];

/** Shell escapes inside double quotes (`\"`, `\\`, `\$`, `` \` ``); single quotes have none. */
const QUOTED_ESCAPE = /\\(["\\$`])/g;
/** Outside quotes a backslash escapes any character (`Ubuntu\ 24.04`). */
const UNQUOTED_ESCAPE = /\\(.)/g;

/** The distribution from os-release, or from the release files older or minimal images have. */
export const osReleaseAnalyzer: Analyzer = {
  name: 'os-release',
  version: 3,
  wants: (path) => (SOURCES as readonly string[]).includes(path),
  analyze(file) {
    const text = file.bytes.toString('utf8');
    const os = file.path.endsWith('os-release') ? parseOsRelease(text) : fallback(file, text);
    if (os === undefined) return { problems: [{ reason: `no distribution ID in ${file.path}` }] };
    return { os };
  },
};

/**
 * The distribution of an image from what its final filesystem holds: etc/os-release, then
 * usr/lib/os-release, then the fallbacks, in {@link SOURCES} order; paths outside them last.
 */
export function pickOsRelease(
  candidates: readonly { path: string; os: OsRelease }[],
): OsRelease | undefined {
  const rank = (path: string): number => {
    const index = (SOURCES as readonly string[]).indexOf(path);
    return index < 0 ? SOURCES.length : index;
  };
  return [...candidates].sort((a, b) => rank(a.path) - rank(b.path))[0]?.os;
}

/**
 * os-release(5) (https://www.freedesktop.org/software/systemd/man/latest/os-release.html):
 * `KEY=value` lines, `#` comments and blank lines; values quoted with `"` or `'`, shell
 * characters escaped with a backslash. Undefined when there is no `ID`.
 */
export function parseOsRelease(text: string): OsRelease | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match !== null) fields.set(match[1]!, unquote(match[2]!.trim()));
  }
  const id = fields.get('ID')?.toLowerCase();
  if (id === undefined || id === '') return undefined;
  const optional = (key: string, name: keyof OsRelease) =>
    fields.get(key) ? { [name]: fields.get(key) } : {};
  const idLike = fields.get('ID_LIKE')?.split(/\s+/).filter(Boolean);
  return {
    id,
    ...optional('VERSION_ID', 'versionId'),
    ...optional('VERSION_CODENAME', 'versionCodename'),
    ...optional('PRETTY_NAME', 'prettyName'),
    ...(idLike !== undefined && idLike.length > 0 && { idLike }),
  };
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(QUOTED_ESCAPE, '$1') : inner;
  }
  return value.replace(UNQUOTED_ESCAPE, '$1');
}

function fallback(file: AnalyzerFile, text: string): OsRelease | undefined {
  const line = text.split('\n')[0]!.trim();
  if (file.path === 'etc/alpine-release')
    return line ? { id: 'alpine', versionId: line } : undefined;
  if (file.path === 'etc/debian_version') return debianVersion(line);
  for (const [pattern, id] of RELEASE_FILES) {
    const match = pattern.exec(line);
    if (match !== null) return { id, versionId: match[1]!, prettyName: line };
  }
  return undefined;
}

/** `12.7` → Debian 12; `trixie/sid` → codename only (testing and unstable have no number). */
function debianVersion(line: string): OsRelease | undefined {
  if (/^\d+(\.\d+)*$/.test(line)) return { id: 'debian', versionId: line.split('.')[0]! };
  if (/^[a-z]+\/sid$/.test(line)) return { id: 'debian', versionCodename: line.split('/')[0]! };
  return undefined;
}
