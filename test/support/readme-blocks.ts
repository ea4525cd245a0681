/*
 * The README's ```sh blocks and the annotation before each, an HTML comment on the line above
 * the fence (blank lines between allowed):
 *
 *   <!-- readme: exit=1 -->            the last command exits 1, every other 0
 *   <!-- readme: needs-aws -->         not run: it needs an AWS account (deploy, destroy)
 *   <!-- readme: skip, REASON -->      not run, for the reason given
 *
 * A block without one runs, every command exiting 0. A command is a line (a trailing `\`
 * continues it); comment lines and blank lines are not commands.
 */

export interface ShellBlock {
  /** The line of the opening fence, 1-based. */
  readonly line: number;
  readonly commands: readonly string[];
  /** What the last command exits with. */
  readonly exit: number;
  /** Why the block is not run, or null when it runs. */
  readonly skip: string | null;
  /** What is wrong with the block's annotation, e.g. an unknown word. */
  readonly problems: readonly string[];
}

const FENCE = /^```sh\s*$/;
const ANNOTATION = /^<!--\s*readme:\s*(.*?)\s*-->$/;

/** Every ```sh block of `markdown`, in order. */
export function readmeShellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!FENCE.test(lines[index]!)) continue;
    const end = lines.findIndex((line, at) => at > index && /^```\s*$/.test(line));
    const body = lines.slice(index + 1, end === -1 ? lines.length : end);
    const annotation = annotationBefore(lines, index);
    blocks.push({
      line: index + 1,
      commands: commandsOf(body),
      ...parseAnnotation(annotation, index + 1),
    });
    index = end === -1 ? lines.length : end;
  }
  return blocks;
}

function annotationBefore(lines: readonly string[], fence: number): string | null {
  let at = fence - 1;
  while (at >= 0 && lines[at]!.trim() === '') at--;
  const match = at >= 0 ? ANNOTATION.exec(lines[at]!.trim()) : null;
  return match ? match[1]! : null;
}

function parseAnnotation(
  text: string | null,
  line: number,
): Pick<ShellBlock, 'exit' | 'skip' | 'problems'> {
  if (text === null) return { exit: 0, skip: null, problems: [] };
  if (text === 'needs-aws') return { exit: 0, skip: 'needs an AWS account', problems: [] };
  const skip = /^skip,\s*(\S.*)$/.exec(text);
  if (skip) return { exit: 0, skip: skip[1]!, problems: [] };
  const exit = /^exit=(\d+)$/.exec(text);
  if (exit) return { exit: Number(exit[1]), skip: null, problems: [] };
  return {
    exit: 0,
    skip: null,
    problems: [
      `line ${line}: expected exit=N, needs-aws or "skip, REASON" in the readme annotation; got "${text}"`,
    ],
  };
}

function commandsOf(body: readonly string[]): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const raw of body) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trimEnd()} `;
      continue;
    }
    commands.push(pending + line);
    pending = '';
  }
  if (pending !== '') commands.push(pending.trim());
  return commands;
}
