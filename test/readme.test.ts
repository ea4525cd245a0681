import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCliIfMissing, CLI_BUNDLE } from './support/cli-bundle';
import { readmeShellBlocks, type ShellBlock } from './support/readme-blocks';

/*
 * The README's shell blocks, run as a reader runs them: in README order, in one scratch
 * directory holding a copy of examples/, with the clone already set up (`npm ci` is taken as
 * done) and `npx clearance` (or a bare `clearance`) being the bundle package.json's `bin` names,
 * on the project's Node 22. Blocks run in order because the README's do: `audit verify` reads
 * what `pipeline run` left. Annotations are README.md's `<!-- readme: … -->` comments
 * (test/support/readme-blocks.ts).
 */

const ROOT = join(__dirname, '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const COMMAND_TIMEOUT_MS = 40_000;
const BUILD_TIMEOUT_MS = 120_000;

describe('README.md', () => {
  const blocks = readmeShellBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  let scratch = '';
  let bin = '';

  beforeAll(() => {
    buildCliIfMissing();
    if (!existsSync(CLI_BUNDLE))
      throw new Error(
        `expected the CLI bundle at ${CLI_BUNDLE} (package.json bin) after the build; got none`,
      );
    bin = CLI_BUNDLE;
    scratch = mkdtempSync(join(tmpdir(), 'clearance-readme-'));
    cpSync(join(ROOT, 'examples'), join(scratch, 'examples'), { recursive: true });
  }, BUILD_TIMEOUT_MS);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has sh blocks, each with a known annotation or none', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.flatMap((block) => block.problems)).toEqual([]);
  });

  describe('when its sh blocks run in a scratch copy', () => {
    it.each(blocks.map((block) => [block.line, block] as const))(
      'block at line %d exits as the README says',
      (_line, block: ShellBlock) => {
        if (block.skip !== null) return;
        const outcomes = block.commands.map((command, index) => {
          const expected = index === block.commands.length - 1 ? block.exit : 0;
          const run = spawnSync('bash', ['-c', shellCommand(command, bin)], {
            cwd: scratch,
            env: readerEnvironment(scratch),
            encoding: 'utf8',
            timeout: COMMAND_TIMEOUT_MS,
          });
          return { command, expected, got: run.status, stderr: run.stderr.slice(-2000) };
        });
        expect(outcomes.filter((o) => o.got !== o.expected)).toEqual([]);
      },
      COMMAND_TIMEOUT_MS * 4,
    );
  });
});

/** The README's command as the scratch copy runs it. */
function shellCommand(command: string, bin: string): string {
  const cli = `${quote(NODE)} ${quote(bin)}`;
  return command
    .replace(/^npm ci && /, '')
    .replace(/\bnpx clearance\b/g, cli)
    .replace(/^clearance\b/, cli);
}

/** A reader's environment without this machine's Clearance settings or caches. */
function readerEnvironment(home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('CLEARANCE_')),
  );
  return { ...env, HOME: home, XDG_CACHE_HOME: join(home, '.cache'), NO_COLOR: '1' };
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

describe('readmeShellBlocks', () => {
  const block = (annotation: string, body = 'npx clearance scan x') =>
    readmeShellBlocks(`${annotation}\n\n\`\`\`sh\n${body}\n\`\`\`\n`)[0]!;

  it.each([
    ['', { exit: 0, skip: null }],
    ['<!-- readme: exit=1 -->', { exit: 1, skip: null }],
    ['<!-- readme: needs-aws -->', { exit: 0, skip: 'needs an AWS account' }],
    [
      '<!-- readme: skip, runs the test suite itself -->',
      { exit: 0, skip: 'runs the test suite itself' },
    ],
  ])('reads the annotation %j', (annotation, expected) => {
    expect(block(annotation)).toMatchObject({ ...expected, problems: [] });
  });

  it('takes a line per command, joining continued lines and leaving out comments', () => {
    expect(block('', '# a comment\nnpx a \\\n  --b\n\nnpx c').commands).toEqual([
      'npx a --b',
      'npx c',
    ]);
  });

  it('fails when the annotation is unknown, or a skip gives no reason', () => {
    expect(block('<!-- readme: exit=maybe -->').problems).toHaveLength(1);
    expect(block('<!-- readme: skip -->').problems).toHaveLength(1);
  });
});
