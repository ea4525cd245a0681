/** A module compiled into a Go binary, after its `replace` directive. */
export interface GoModule {
  readonly path: string;
  /** Empty when unknown: a main module built outside version control, a directory replacement. */
  readonly version: string;
  readonly main: boolean;
}

/** What the module text of Go build info says. */
export interface GoModInfo {
  readonly modules: GoModule[];
  readonly problems: string[];
  /** The `build` settings (`GOOS`, `GOARCH`, `vcs.revision`, …), Go 1.18+. */
  readonly settings: ReadonlyMap<string, string>;
  /** The main package's import path (`path` line): `cmd/go` for the Go command itself. */
  readonly path?: string;
}

/** The first words of build info lines (`runtime/debug.BuildInfo.String()`). */
const KNOWN_WORDS: ReadonlySet<string> = new Set(['go', 'path', 'mod', 'dep', '=>', 'build']);

/** Go's placeholder version for a main module built from a working tree. */
const DEVEL = '(devel)';

/**
 * Parses the module text of Go build info (`runtime/debug.BuildInfo.String()`): a `mod` line
 * for the main module, `dep` lines for dependencies, each optionally followed by a `=>` line
 * with its replacement, and `build` settings. A replacement by another module version counts as
 * that module; a replacement by a local directory keeps the path and loses the version, since
 * the code compiled is whatever the directory held.
 */
export function parseGoModInfo(text: string): GoModInfo {
  const modules: GoModule[] = [];
  let path: string | undefined;
  const problems: string[] = [];
  const settings = new Map<string, string>();
  const strange: number[] = [];
  text.split('\n').forEach((line, i) => {
    const [word, ...fields] = line.split('\t');
    if (line !== '' && !KNOWN_WORDS.has(word!)) strange.push(i + 1);
    if (word === 'path' && fields[0]) path = fields[0];
    else if (word === 'mod' || word === 'dep') {
      if (fields[0])
        modules.push({ path: fields[0], version: fields[1] ?? '', main: word === 'mod' });
      else problems.push(`Go build info line ${i + 1}: ${word} without a module path`);
    } else if (word === '=>') {
      const replaced = modules.pop();
      if (replaced === undefined || !fields[0])
        problems.push(`Go build info line ${i + 1}: a replacement of nothing`);
      else modules.push(replacementOf(replaced, fields[0], fields[1] ?? ''));
    } else if (word === 'build') {
      const setting = fields.join('\t');
      const eq = setting.indexOf('=');
      if (eq > 0) settings.set(setting.slice(0, eq), setting.slice(eq + 1));
    }
  });
  if (strange.length > 0)
    problems.push(
      `Go build info: ${strange.length} lines that are no module, replacement or setting (first: line ${strange[0]}): modules may be missing`,
    );
  return {
    modules: modules.map((m) => (m.main ? withMainVersion(m, settings) : m)),
    problems,
    settings,
    ...(path !== undefined && { path }),
  };
}

/** A replacement by a local directory (`./fork`, `/src/x`), which Go stamps `(devel)`. */
const DIRECTORY = /^(?:\.{1,2}(?:\/|$)|\/)/;

function replacementOf(replaced: GoModule, path: string, version: string): GoModule {
  if (DIRECTORY.test(path) || version === '' || version === DEVEL)
    return { ...replaced, version: '' };
  return { path, version, main: replaced.main };
}

/**
 * A main module built from a checkout says `(devel)`; its VCS stamp gives the pseudo-version
 * Go itself would assign (`v0.0.0-20240102150405-abcdef123456`), as Syft does.
 */
function withMainVersion(main: GoModule, settings: ReadonlyMap<string, string>): GoModule {
  if (main.version !== DEVEL && main.version !== '') return main;
  const revision = settings.get('vcs.revision');
  const time = settings.get('vcs.time');
  const stamp = time?.replace(/[-:TZ]/g, '');
  if (revision === undefined || stamp === undefined || !/^\d{14}$/.test(stamp))
    return { ...main, version: '' };
  return { ...main, version: `v0.0.0-${stamp}-${revision.slice(0, 12)}` };
}
