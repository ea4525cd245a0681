import { Option, type Command } from 'commander';
import type { CliIO } from './io';

/** How `scan` and `posture` print their report. */
export type ReportFormat = 'table' | 'json' | 'sarif' | 'html' | 'asff';

export interface ReportFormatFlags {
  readonly format?: ReportFormat;
  readonly output?: string;
}

/** `--format table|json|sarif` and `--output FILE`. */
export function addReportFormatOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--format <format>', 'output (default: table on a terminal, else json)').choices([
        'table',
        'json',
        'sarif',
        'html',
        'asff',
      ]),
    )
    .option('--output <file>', 'write the report to FILE instead of stdout');
}

/** The format asked for; else a table for a person at a terminal, JSON for a program or a file. */
export function reportFormatOf(flags: ReportFormatFlags, io: CliIO): ReportFormat {
  return flags.format ?? (io.stdout.isTTY && flags.output === undefined ? 'table' : 'json');
}
