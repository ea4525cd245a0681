/**
 * Runs the bundled CLI as a child process under GNU time (`/usr/bin/time -f '%M %e'`: peak RSS
 * in KiB, wall seconds), at most `slots` at a time, with a watchdog that kills a run past its
 * time or memory bound so that one runaway cannot take the machine or the suite down with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';
/** What is kept of each stream; the rest is counted, not held. */
const KEPT_BYTES = 64 * 1024;
const WATCH_EVERY_MS = 250;

export interface RunOptions {
  readonly cli: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Where GNU time writes its measurement (one file per run). */
  readonly timeFile: string;
  readonly killAfterMs: number;
  readonly killAboveRssKiB: number;
}

export interface RunResult {
  /** The CLI's exit code; null when it died of a signal. */
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stdoutBytes: number;
  readonly stderr: string;
  readonly stderrBytes: number;
  /** stderr carried more than was kept. */
  readonly stderrCut: boolean;
  /** GNU time's peak RSS of the CLI process, in KiB (undefined when it was killed). */
  readonly rssKiB?: number;
  /** GNU time's wall-clock seconds. */
  readonly seconds?: number;
  /** Why the watchdog killed it. */
  readonly killed?: string;
}

/** Limits how many runs are in flight; waiters are served in order. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(count: number) {
    this.free = count;
  }

  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

const live = new Set<ChildProcess>();

/** Kills every run still going (the suite is ending). */
export function killAll(): void {
  for (const child of live) killGroup(child);
}

/** `node CLI ...argv` under GNU time, in its own process group. */
export function runMeasured(argv: readonly string[], options: RunOptions): Promise<RunResult> {
  const child = spawn(
    GNU_TIME,
    ['-f', '%M %e', '-o', options.timeFile, process.execPath, options.cli, ...argv],
    { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  let killed: string | undefined;
  const started = Date.now();
  const watchdog = setInterval(() => {
    const rss = rssOfChildren(child.pid);
    if (Date.now() - started > options.killAfterMs)
      killed = `killed after ${options.killAfterMs / 1000} s`;
    else if (rss > options.killAboveRssKiB)
      killed = `killed at ${Math.round(rss / 1024)} MiB resident`;
    if (killed !== undefined) killGroup(child);
  }, WATCH_EVERY_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(watchdog);
      live.delete(child);
      const out = stdout();
      const err = stderr();
      void measured(options.timeFile).then((time) =>
        resolve({
          code: killed === undefined ? code : null,
          signal: signal ?? (killed === undefined ? null : 'SIGKILL'),
          stdout: out.text,
          stdoutBytes: out.bytes,
          stderr: err.text,
          stderrBytes: err.bytes,
          stderrCut: err.cut,
          ...(killed === undefined && time),
          ...(killed !== undefined && { killed }),
        }),
      );
    });
  });
}

/** The first {@link KEPT_BYTES} of a stream, and how many bytes it carried in all. */
function collect(
  stream: NodeJS.ReadableStream,
): () => { text: string; bytes: number; cut: boolean } {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let total = 0;
  stream.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (keptBytes >= KEPT_BYTES) return;
    const part = chunk.subarray(0, KEPT_BYTES - keptBytes);
    kept.push(part);
    keptBytes += part.length;
  });
  return () => ({
    text: Buffer.concat(kept).toString('utf8'),
    bytes: total,
    cut: total > keptBytes,
  });
}

/** GNU time's last line: `%M %e` (it writes "Command exited with non-zero status N" before). */
async function measured(file: string): Promise<{ rssKiB?: number; seconds?: number }> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const match = /^(\d+) (\d+(?:\.\d+)?)\s*$/m.exec(text.trim().split('\n').at(-1) ?? '');
  return match ? { rssKiB: Number(match[1]), seconds: Number(match[2]) } : {};
}

/** Resident KiB of the processes GNU time started (its children). */
function rssOfChildren(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const children = readFileSync(
      join('/proc', String(pid), 'task', String(pid), 'children'),
      'utf8',
    );
    return children
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .reduce((sum, child) => sum + residentKiB(child), 0);
  } catch {
    return 0;
  }
}

function residentKiB(pid: string): number {
  try {
    const status = readFileSync(join('/proc', pid, 'status'), 'utf8');
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
