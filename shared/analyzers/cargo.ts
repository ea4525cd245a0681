import { inflateSync } from 'node:zlib';
import { messageOf } from '../core';
import type { Analyzer, AnalyzerResult, FoundPackage } from './analyzer';
import { isExecutable, MalformedElfError, readExecutable, sectionBytes } from './elf';
import { isObject, parseJson, stringField, type JsonObject } from '../core';

/** The section cargo-auditable (https://github.com/rust-secure-code/cargo-auditable) adds. */
const SECTION = '.dep-v0';
/** cargo-auditable's own reader refuses more than 8 MiB of decompressed data. */
const MAX_JSON_BYTES = 8 * 1024 * 1024;
const MAX_COMPRESSED_BYTES = MAX_JSON_BYTES;

/**
 * Rust crates compiled into an executable built with `cargo auditable`: the zlib-compressed
 * JSON dependency list in its `.dep-v0` section. Build-time crates (build scripts, proc macros)
 * are not in the binary and are left out, as Trivy does. Binaries built without cargo-auditable
 * carry no list; nothing is guessed for them.
 */
export const cargoAnalyzer: Analyzer = {
  name: 'cargo',
  version: 1,
  readsRanges: true,
  wants: (_path, info) => isExecutable(info),
  async analyze(file) {
    const elf = await readExecutable(file);
    // The Go analyser reads the same executables and reports unreadable ELF headers once.
    if (elf === undefined || elf instanceof MalformedElfError) return {};
    const section = elf.sections.find((s) => s.name === SECTION);
    if (section === undefined) return {};
    try {
      const compressed = await sectionBytes(elf, section, MAX_COMPRESSED_BYTES);
      return parseDependencyList(inflateSync(compressed, { maxOutputLength: MAX_JSON_BYTES }));
    } catch (error) {
      return { problems: [{ reason: `cargo-auditable data: ${messageOf(error)}` }] };
    }
  },
};

/** The JSON of `auditable-serde`'s `VersionInfo`: `{ packages: [{ name, version, source, kind, dependencies, root }] }`. */
function parseDependencyList(json: Buffer): AnalyzerResult {
  const parsed = parseJson(json);
  if ('reason' in parsed)
    return { problems: [{ reason: `cargo-auditable data: ${parsed.reason}` }] };
  const list = isObject(parsed.value) ? parsed.value.packages : undefined;
  if (!Array.isArray(list)) return { problems: [{ reason: 'cargo-auditable data: no packages' }] };
  const entries = list.filter(isObject);
  const names = entries.map((entry) => stringField(entry, 'name'));
  const packages: FoundPackage[] = [];
  const problems: { reason: string }[] = [];
  entries.forEach((entry, i) => {
    const name = names[i];
    const version = stringField(entry, 'version');
    if (name === undefined || version === undefined)
      problems.push({ reason: `cargo-auditable package ${i + 1} has no name or version` });
    else if (entry.kind !== 'build') packages.push(crateOf(entry, name, version, names));
  });
  return { packages, problems };
}

function crateOf(
  entry: JsonObject,
  name: string,
  version: string,
  names: readonly (string | undefined)[],
): FoundPackage {
  const dependencies = Array.isArray(entry.dependencies)
    ? entry.dependencies
        .map((index) => (typeof index === 'number' ? names[index] : undefined))
        .filter((dependency): dependency is string => dependency !== undefined)
    : [];
  return {
    type: 'cargo',
    name,
    version,
    ...(dependencies.length > 0 && { dependencies: [...new Set(dependencies)].sort() }),
  };
}
