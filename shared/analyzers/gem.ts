import type { Analyzer, FoundPackage } from './analyzer';
import { TRUNCATED_REASON } from './json-file';

/**
 * Installed gems' specifications, wherever the gem home is (`usr/local/bundle`, `var/lib/gems/…`),
 * the gems bundled with Ruby (`specifications/default/`) included.
 */
const WANTED = /(?:^|\/)specifications\/(?:default\/)?[^/]+\.gemspec$/;
/**
 * A Ruby string literal as rubygems writes them: `"x"`, `'x'`, `%q{x}`, `%q<x>` (older versions),
 * optionally `.freeze`d. Exactly one capture group matches.
 */
const STRING = String.raw`(?:"([^"]*)"|'([^']*)'|%q\{([^}]*)\}|%q<([^>]*)>)`;
const FIELD = (field: string) =>
  new RegExp(String.raw`^\s*s\.${field}\s*=\s*(?:Gem::Version\.new\(\s*)?${STRING}`, 'm');
const NAME = FIELD('name');
const VERSION = FIELD('version');
const PLATFORM = FIELD('platform');
const LICENSES = /^\s*s\.licenses?\s*=\s*(.*)$/m;
/** `add_development_dependency` matches neither. */
const RUNTIME_DEPENDENCY = new RegExp(String.raw`\.add_runtime_dependency\s*\(?\s*${STRING}`, 'g');
const ANY_DEPENDENCY = new RegExp(String.raw`\.add_(?:runtime_)?dependency\s*\(?\s*${STRING}`, 'g');
/**
 * Older rubygems wrote the dependencies twice, branching on the running rubygems: runtime and
 * development ones apart, then all of them again as `add_dependency` for rubygems too old to tell.
 */
const VERSION_BRANCH = /respond_to\?\s*:add_runtime_dependency|Gem::VERSION\b/;
/** `<name>-<version>[-<platform>].gemspec`; versions start with a digit and have no `-`. */
const FILE_NAME = /^(.+?)-(\d+(?:\.[0-9A-Za-z]+)*)(?:-([^/]+))?\.gemspec$/;
/** What rubygems writes for a gem built for any platform. */
const RUBY_PLATFORM = 'ruby';

/**
 * Ruby gems from the `.gemspec` files rubygems writes into `specifications/` when it installs a
 * gem: generated Ruby, read with regular expressions (no Ruby is run). When the body names no gem,
 * the file name (`rails-7.1.3.gemspec`) does.
 */
export const gemAnalyzer: Analyzer = {
  name: 'gem',
  version: 1,
  wants(path) {
    return WANTED.test(path);
  },
  analyze(file) {
    const text = file.bytes.toString('utf8');
    const problems = file.truncated ? [{ reason: TRUNCATED_REASON }] : [];
    const found = gemOf(text, file.path.slice(file.path.lastIndexOf('/') + 1));
    if (found === undefined)
      return {
        packages: [],
        problems: [...problems, { reason: 'no gem name or version in the body or the file name' }],
      };
    return { packages: [found], problems };
  },
};

function gemOf(text: string, fileName: string): FoundPackage | undefined {
  const fromName = FILE_NAME.exec(fileName);
  const name = literal(NAME.exec(text)) ?? fromName?.[1];
  const version = literal(VERSION.exec(text)) ?? fromName?.[2];
  if (name === undefined || version === undefined) return undefined;
  const platform = literal(PLATFORM.exec(text)) ?? fromName?.[3];
  const licenses = literals(LICENSES.exec(text)?.[1] ?? '');
  const dependencies = dependenciesOf(text);
  return {
    type: 'gem',
    name,
    version,
    ...(licenses.length > 0 && { licenses }),
    ...(dependencies.length > 0 && { dependencies }),
    // purl's gem type names the platform as a qualifier when it is not plain Ruby.
    ...(platform !== undefined && platform !== RUBY_PLATFORM && { qualifiers: { platform } }),
  };
}

/** Runtime dependency names, each once, sorted. */
function dependenciesOf(text: string): string[] {
  const pattern = VERSION_BRANCH.test(text) ? RUNTIME_DEPENDENCY : ANY_DEPENDENCY;
  return [...new Set([...text.matchAll(pattern)].map((m) => literal(m)!))].sort();
}

/** The string literal a match of a pattern built on STRING captured. */
function literal(match: RegExpExecArray | RegExpMatchArray | null): string | undefined {
  return match?.slice(1).find((group) => group !== undefined);
}

/** Every string literal in a Ruby expression (`["MIT".freeze, "Ruby".freeze]`). */
function literals(expression: string): string[] {
  return [...expression.matchAll(new RegExp(STRING, 'g'))].map((m) => literal(m)!);
}
