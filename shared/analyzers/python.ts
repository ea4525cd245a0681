import type { Analyzer, FoundPackage } from './analyzer';
import { TRUNCATED_REASON } from './json-file';

/** Installed distributions: wheels' `METADATA`, eggs' `PKG-INFO`, and the single-file egg-info. */
const WANTED = /(?:^|\/)[^/]+(?:\.dist-info\/METADATA|\.egg-info\/PKG-INFO|\.egg-info)$/;
/** What setuptools writes when a field was not given. */
const UNKNOWN = 'UNKNOWN';
/** The project name that opens a requirement (https://peps.python.org/pep-0508/#names). */
const REQUIREMENT_NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
const LICENSE_CLASSIFIER = 'License :: ';
const HEADER = /^([A-Za-z0-9-]+):[ \t]*(.*)$/;

type Headers = Map<string, string[]>;

/**
 * Python distributions from their core metadata (https://packaging.python.org/en/latest/
 * specifications/core-metadata/), an RFC 822-style header block ended by the first blank line.
 * Names are normalised as PEP 503 says, so `Foo_Bar.baz` is `foo-bar-baz`.
 */
export const pythonAnalyzer: Analyzer = {
  name: 'python',
  version: 1,
  wants(path) {
    return WANTED.test(path);
  },
  analyze(file) {
    const { headers, problems } = parseHeaders(file.bytes.toString('utf8'));
    if (file.truncated) problems.push({ reason: TRUNCATED_REASON });
    const found = packageOf(headers);
    if (found === undefined) return { packages: [], problems: [...problems, NO_NAME] };
    return { packages: [found], problems };
  },
};

const NO_NAME = { reason: 'the metadata has no Name or no Version' };

/** A project name as PEP 503 normalises it (https://peps.python.org/pep-0503/#normalized-names). */
export function normalizePythonName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

function packageOf(headers: Headers): FoundPackage | undefined {
  const name = first(headers, 'name');
  const version = first(headers, 'version');
  if (name === undefined || version === undefined) return undefined;
  const licenses = licensesOf(headers);
  const dependencies = dependenciesOf(headers);
  const supplier =
    first(headers, 'author') ??
    first(headers, 'author-email') ??
    first(headers, 'maintainer') ??
    first(headers, 'maintainer-email');
  return {
    type: 'pypi',
    name: normalizePythonName(name),
    version,
    ...(licenses.length > 0 && { licenses }),
    ...(dependencies.length > 0 && { dependencies }),
    ...(supplier !== undefined && { supplier }),
  };
}

/**
 * `License-Expression` (SPDX, core metadata 2.4) first; then `License` when it names a licence
 * (one line, not setuptools' `UNKNOWN`; many projects paste the whole text there); then the
 * `License ::` trove classifiers, by their last part (`MIT License`).
 */
function licensesOf(headers: Headers): string[] {
  const expression = first(headers, 'license-expression');
  if (expression !== undefined) return [expression];
  const license = first(headers, 'license');
  if (license !== undefined && license !== UNKNOWN && !license.includes('\n')) return [license];
  return (headers.get('classifier') ?? [])
    .filter((c) => c.startsWith(LICENSE_CLASSIFIER))
    .map((c) => c.split('::').pop()!.trim())
    .filter((c) => c !== 'OSI Approved' && c !== '');
}

/** `Requires-Dist` names, without extras, version specifiers or markers; each once, sorted. */
function dependenciesOf(headers: Headers): string[] {
  const names = (headers.get('requires-dist') ?? []).flatMap((requirement) => {
    const match = REQUIREMENT_NAME.exec(requirement);
    return match ? [normalizePythonName(match[1]!)] : [];
  });
  return [...new Set(names)].sort();
}

function first(headers: Headers, key: string): string | undefined {
  const value = headers.get(key)?.[0]?.trim();
  return value === '' ? undefined : value;
}

/**
 * The header block, keys lower-cased (the format is case-insensitive), repeated headers kept in
 * order. A line starting with whitespace continues the previous header, even one holding nothing
 * else (https://docs.python.org/3/library/email.parser.html follows RFC 5322 the same way).
 */
function parseHeaders(text: string): { headers: Headers; problems: { reason: string }[] } {
  const headers: Headers = new Map();
  const problems: { reason: string }[] = [];
  // The values of the header read last; its value is the last of them.
  let last: string[] | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    // Only an empty line ends the block: setuptools indents a blank line of a long header.
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (last === undefined)
        problems.push({ reason: `line ${index + 1}: continuation line without a header` });
      else last[last.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const match = HEADER.exec(line);
    if (match === null) {
      problems.push({ reason: `line ${index + 1}: expected "Header: value", got "${line}"` });
      continue;
    }
    const key = match[1]!.toLowerCase();
    last = headers.get(key) ?? [];
    headers.set(key, last);
    last.push(match[2]!);
  }
  return { headers, problems };
}
