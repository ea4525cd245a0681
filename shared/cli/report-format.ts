import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Option, type Command } from 'commander';
import { messageOf } from '../core';
import type { AsffOptions } from '../output';
import { UsageError } from './errors';
import { nowOf, type CliIO } from './io';

/** How `scan` prints its report; `posture` takes the first three. */
export const REPORT_FORMATS = ['table', 'json', 'sarif', 'html', 'asff'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportFormatFlags {
  readonly format?: ReportFormat;
  readonly output?: string;
}

/** `--format` among the formats the command writes, and `--output FILE`. */
export function addReportFormatOptions(
  command: Command,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
): Command {
  return command
    .addOption(
      new Option('--format <format>', 'output (default: table on a terminal, else json)').choices(
        formats,
      ),
    )
    .option('--output <file>', 'write the report to FILE instead of stdout');
}

/** The format asked for; else a table for a person at a terminal, JSON for a program or a file. */
export function reportFormatOf(flags: ReportFormatFlags, io: CliIO): ReportFormat {
  return flags.format ?? (io.stdout.isTTY && flags.output === undefined ? 'table' : 'json');
}

/**
 * The account and region ASFF findings name when the image is not in ECR: `AWS_ACCOUNT_ID`,
 * `AWS_REGION` (or `AWS_DEFAULT_REGION`); an ECR image names its own.
 */
export function asffOptionsOf(io: CliIO): AsffOptions {
  const { AWS_ACCOUNT_ID: accountId, AWS_REGION, AWS_DEFAULT_REGION } = io.env;
  const region = AWS_REGION ?? AWS_DEFAULT_REGION;
  return {
    observedAt: nowOf(io).toISOString(),
    ...(accountId !== undefined && /^\d{12}$/.test(accountId) && { accountId }),
    ...(region !== undefined && region !== '' && { region }),
  };
}

/**
 * Writes a report, a chunk at a time, to `--output`'s file or to stdout, waiting whenever
 * either is full: a pipe read more slowly than this writes would otherwise queue all of it.
 * A file that cannot be written is a usage error naming it.
 */
export async function writeReport(
  io: CliIO,
  output: string | undefined,
  chunks: Iterable<string>,
): Promise<void> {
  if (output === undefined) {
    for (const chunk of chunks) if (io.stdout.write(chunk) === false) await drained(io.stdout);
    return;
  }
  const file = createWriteStream(output);
  try {
    for (const chunk of chunks) if (!file.write(chunk)) await once(file, 'drain');
    file.end();
    await once(file, 'close');
  } catch (error) {
    file.destroy();
    throw new UsageError(`--output ${output}: ${messageOf(error)}`);
  }
}

/** Resolves when a stream that said it was full has drained (at once for one that cannot say). */
function drained(stream: CliIO['stdout']): Promise<void> {
  const once = (stream as { once?: (event: string, listener: () => void) => unknown }).once;
  return typeof once === 'function'
    ? new Promise((resolve) => once.call(stream, 'drain', resolve))
    : Promise.resolve();
}
