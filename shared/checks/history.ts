import type { ImageConfig } from '../image';

/** One Dockerfile instruction as the image's history recorded it. */
export interface Instruction {
  /** `RUN`, `ADD`, `COPY`, `ENV`, `ARG`, `USER`, `HEALTHCHECK`, …; `RUN` for a bare command. */
  readonly keyword: string;
  /** What follows the keyword (for RUN, the shell command). */
  readonly text: string;
  /** Index in `history`. */
  readonly index: number;
  /** Build arguments a RUN saw (`ARG`s, which BuildKit records as `|2 A=1 B=2 …`). */
  readonly args: Readonly<Record<string, string>>;
}

/** Classic builder: `/bin/sh -c #(nop)  ADD file:… in /` (metadata) or `/bin/sh -c CMD` (RUN). */
const CLASSIC_NOP = /^\/bin\/(?:ba)?sh -c #\(nop\)\s+(\w+)\s*([^]*)$/;
const CLASSIC_RUN = /^\/bin\/(?:ba)?sh -c ([^]*)$/;
/** BuildKit: `RUN /bin/sh -c … # buildkit`, `COPY … # buildkit`, `|2 A=1 B=2 /bin/sh -c …`. */
const BUILDKIT = /^([A-Z]+) ([^]*?)(?: # buildkit)?$/;
const BUILD_ARGS_RUN = /^(\|\d+(?: \S+=\S*)* [^]*?)(?: # buildkit)?$/;
const ARGS_PREFIX = /^\|\d+((?: \S+=\S*)*) /;
const SHELL = /^\/bin\/(?:ba)?sh -c /;

/** The instructions of an image's history, in order; entries without `created_by` skipped. */
export function instructionsOf(config: ImageConfig): Instruction[] {
  return (config.history ?? []).flatMap((entry, index) => {
    const line = entry.created_by?.trim();
    if (line === undefined || line === '') return [];
    const { keyword, text } = parse(line);
    if (keyword !== 'RUN') return [{ keyword, text, index, args: {} }];
    const prefix = ARGS_PREFIX.exec(text);
    const args = Object.fromEntries(
      (prefix?.[1]?.trim().split(' ') ?? [])
        .filter((pair) => pair.includes('='))
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    );
    const command = (prefix ? text.slice(prefix[0].length) : text).replace(SHELL, '');
    return [{ keyword, text: command, index, args }];
  });
}

function parse(line: string): { keyword: string; text: string } {
  const nop = CLASSIC_NOP.exec(line);
  if (nop) return { keyword: nop[1]!.toUpperCase(), text: nop[2]!.trim() };
  const classic = CLASSIC_RUN.exec(line);
  if (classic) return { keyword: 'RUN', text: classic[1]!.trim() };
  const buildkit = BUILDKIT.exec(line);
  if (buildkit && /^[A-Z]+$/.test(buildkit[1]!))
    return { keyword: buildkit[1]!, text: buildkit[2]!.trim() };
  const withArgs = BUILD_ARGS_RUN.exec(line);
  if (withArgs) return { keyword: 'RUN', text: withArgs[1]!.trim() };
  return { keyword: 'RUN', text: line };
}
