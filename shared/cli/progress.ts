import type { Command } from 'commander';
import type { ScanProgress } from '../scan';
import type { UpdateProgress } from '../vulndb';
import type { CliIO } from './io';

/** A terminal line is redrawn at most 10 times a second. */
const REDRAW_MS = 100;
/** Without escape sequences (`NO_COLOR`), a line is written at most once a second. */
const PLAIN_LINE_MS = 1000;
/** Back to the line's start, then erase it (ECMA-48 EL, "erase in line", whole line). */
const ERASE_LINE = '\r\x1b[2K';
const SHORT_DIGEST_HEX = 12;

/**
 * A command's progress on stderr: one line redrawn in place on a terminal, plain lines with
 * `NO_COLOR` (https://no-color.org), nothing when stderr is not a terminal or with `--quiet`.
 * `end()` erases the line; a command calls it before writing anything else, and when it fails.
 */
export interface Progress {
  readonly scan: (progress: ScanProgress) => void;
  readonly update: (progress: UpdateProgress) => void;
  readonly end: () => void;
}

/** `--quiet`, on the commands that show progress. */
export function addQuietFlag(command: Command): Command {
  return command.option('--quiet', 'show no progress on stderr');
}

/** The progress of a command run with `flags`, drawn on `io.stderr` as it allows. */
export function progressOf(
  io: CliIO,
  flags: { readonly quiet?: boolean },
  clock: () => number = () => performance.now(),
): Progress {
  if (flags.quiet === true || io.stderr.isTTY !== true) return SILENT;
  const plain = (io.env.NO_COLOR ?? '') !== '';
  const line = new ProgressLine(io.stderr, plain, clock);
  const imported = new Map<string, number>();
  return {
    scan: (progress) => line.show(scanText(progress)),
    update: (progress) => line.show(updateText(progress, imported)),
    end: () => line.end(),
  };
}

const SILENT: Progress = { scan: () => {}, update: () => {}, end: () => {} };

function scanText(progress: ScanProgress): string {
  const { platform } = progress;
  if (progress.phase !== 'layers')
    return progress.phase === 'analysing'
      ? `${platform}: analysing the files read (inventory, secrets, checks)`
      : `${platform}: matching the packages against the vulnerability data`;
  const { index, count, layer, bytesRead, size } = progress;
  const digest = layer.replace(/^sha256:/, '').slice(0, SHORT_DIGEST_HEX);
  return `${platform}: layer ${index + 1}/${count} ${digest} ${bytesText(bytesRead, size)}`;
}

/** A download's bytes, or the records imported so far per ecosystem (counted in `imported`). */
function updateText(progress: UpdateProgress, imported: Map<string, number>): string {
  if (progress.phase === 'download')
    return `downloading ${progress.source}: ${bytesText(progress.bytes, progress.total)}`;
  if (progress.ecosystem !== undefined) {
    const ecosystem = progress.ecosystem.split(':')[0]!;
    imported.set(ecosystem, (imported.get(ecosystem) ?? 0) + 1);
  }
  const counts = [...imported].map(([ecosystem, n]) => `${ecosystem} ${n}`).join(', ');
  return `importing: ${progress.read} records read${counts === '' ? '' : ` (${counts})`}`;
}

/** `312.4 MB / 735.1 MB (42%)`, or the bytes alone when the total is not known. */
function bytesText(bytes: number, total: number | undefined): string {
  if (total === undefined || !(total > 0)) return sizeText(bytes);
  const percent = Math.min(100, Math.floor((bytes / total) * 100));
  return `${sizeText(bytes)} / ${sizeText(total)} (${percent}%)`;
}

function sizeText(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * One line of progress, throttled: the newest text is drawn at once when the last draw is old
 * enough, else when it is (a timer that does not hold the process open).
 */
class ProgressLine {
  private pending: string | undefined;
  private drawn = false;
  private last = -Infinity;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stderr: CliIO['stderr'],
    private readonly plain: boolean,
    private readonly clock: () => number,
  ) {}

  show(text: string): void {
    this.pending = text;
    if (this.timer !== undefined) return;
    const wait = this.last + (this.plain ? PLAIN_LINE_MS : REDRAW_MS) - this.clock();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait).unref();
  }

  end(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    if (this.drawn) this.stderr.write(ERASE_LINE);
    this.drawn = false;
  }

  private flush(): void {
    this.timer = undefined;
    const text = this.pending;
    this.pending = undefined;
    if (text === undefined) return;
    this.last = this.clock();
    if (this.plain) {
      this.stderr.write(`${text}\n`);
      return;
    }
    // A line wider than the terminal wraps, and `\r` then returns to its last row only.
    const width = this.stderr.columns;
    const fitted = width !== undefined && width > 1 ? text.slice(0, width - 1) : text;
    this.stderr.write(`${ERASE_LINE}${fitted}`);
    this.drawn = true;
  }
}
