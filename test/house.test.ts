import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/*
 * The README's map of the house (Development, "The house") against the code's own imports:
 * every folder has a row, every folder a folder imports is listed in its row, and the rows are
 * layers (a folder imports only folders of earlier rows). The import rules themselves are
 * dependency-cruiser's (`npm run lint`).
 */

const ROOT = join(__dirname, '..');
const APP = ['functions', 'lib', 'bin'];

describe('the house the README draws', () => {
  const map = readmeMap();
  const imports = folderImports();

  it('has a row for every folder of the tree, and no row for a folder that is not there', () => {
    expect([...map.keys()].sort()).toEqual(folders().sort());
  });

  it.each([...imports.keys()])('lists every folder %s imports', (folder) => {
    expect([...imports.get(folder)!].filter((used) => !map.get(folder)?.includes(used))).toEqual(
      [],
    );
  });

  it('reads as layers: each folder imports only folders of earlier rows', () => {
    const order = [...map.keys()];
    const late = order.flatMap((folder, row) =>
      (map.get(folder) ?? [])
        .filter((used) => order.indexOf(used) >= row)
        .map((used) => `${folder} → ${used}`),
    );
    expect(late).toEqual([]);
  });
});

/** The table's rows: folder → the folders it lists as imported, in README order. */
function readmeMap(): Map<string, string[]> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### The house');
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
  const rows = section.split('\n').filter((line) => /^\| `[^`]+\/`/.test(line));
  return new Map(
    rows.map((row) => {
      const [folder, , used] = row
        .split('|')
        .slice(1, 4)
        .map((cell) => cell.trim());
      const names = (text: string) => [...text.matchAll(/`([^`]+)\/`/g)].map((m) => m[1]!);
      return [names(folder!)[0]!, names(used!)];
    }),
  );
}

/** The tree's folders, named as the map names them. */
function folders(): string[] {
  const dirs = (dir: string) =>
    readdirSync(join(ROOT, dir)).filter((name) => statSync(join(ROOT, dir, name)).isDirectory());
  return [
    ...dirs('shared').filter((name) => name !== 'aws'),
    'aws',
    ...dirs('shared/aws').map((service) => `aws/${service}`),
    ...APP,
  ];
}

/** The folder a source file belongs to, as the map names it. */
function folderOf(file: string): string {
  const parts = relative(ROOT, file).split('/');
  if (parts[0] !== 'shared') return parts[0]!;
  if (parts[1] === 'aws') return parts.length > 3 ? `aws/${parts[2]}` : 'aws';
  return parts[1]!;
}

/** folder → the other folders its files import, from the sources' relative imports. */
function folderImports(): Map<string, Set<string>> {
  const sources = ['shared', ...APP].flatMap((dir) => tsFiles(join(ROOT, dir)));
  const imports = new Map<string, Set<string>>();
  for (const file of sources) {
    const from = folderOf(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const target = resolveSpec(file, spec!);
      if (target === undefined) continue;
      const to = folderOf(target);
      if (to === from) continue;
      imports.set(from, (imports.get(from) ?? new Set()).add(to));
    }
  }
  return imports;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? tsFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

function resolveSpec(file: string, spec: string): string | undefined {
  const base = resolve(dirname(file), spec);
  return [`${base}.ts`, join(base, 'index.ts'), base].find(
    (path) => existsSync(path) && statSync(path).isFile(),
  );
}
