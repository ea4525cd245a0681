import { join } from 'node:path';
import { Command, Option } from 'commander';
import {
  describeProblem,
  isDay,
  verifyAuditTrail,
  type ChainSummary,
  type VerifyReport,
} from '../../audit';
import type { AuditQuery, ChainedEvent } from '../../aws/dynamodb';
import { UsageError } from '../errors';
import { ExitCode, type CliIO } from '../io';
import { openAuditSource, type AuditSource, type AuditSourceFlags } from './audit-source';
import { summaryOf } from './summaries';

const DEFAULT_STATE_DIR = join('.clearance', 'pipeline');

interface VerifyFlags extends AuditSourceFlags {
  readonly since?: string;
  readonly format?: 'text' | 'json';
}

interface QueryFlags extends AuditSourceFlags, AuditQuery {
  readonly format?: 'table' | 'json';
}

/**
 * `clearance audit verify`: recomputes the hash chains and checks the anchors; prints each chain
 * and, on failure, the first problem (chain, seq, event, what is wrong), exit 1.
 * `clearance audit query`: the events of a digest, a repository or from a day on.
 */
export function auditCommand(io: CliIO, setExit: (code: ExitCode) => void): Command {
  const verify = withSource(new Command('verify'))
    .description('recompute the audit chains and check the anchors')
    .option('--since <day>', 'verify the chains of this UTC day (YYYY-MM-DD) and later')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .action(async (flags: VerifyFlags) => {
      const since = dayOf(flags.since, '--since');
      const report = await withAuditSource(flags, async (source) => {
        if (source.anchors === undefined)
          throw new UsageError('verifying the deployed trail needs --anchors-bucket');
        io.stdout.write(flags.format === 'json' ? '' : `verifying the ${source.name}\n`);
        return verifyAuditTrail(source.log, source.anchors, since);
      });
      io.stdout.write(
        flags.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : reportText(report),
      );
      if (report.problem !== undefined) setExit(ExitCode.gateFailed);
    });
  const query = withSource(new Command('query'))
    .description('list audit events, oldest first')
    .option('--digest <digest>', 'events of this image digest (sha256:…)')
    .option('--repository <name>', 'events of this repository')
    .option('--since <day>', 'events of this UTC day (YYYY-MM-DD) and later')
    .addOption(
      new Option('--format <format>', 'output (default: table on a terminal, else json)').choices([
        'table',
        'json',
      ]),
    )
    .action(async (flags: QueryFlags) => {
      const selection = querySelection(flags);
      const events = await withAuditSource(flags, (source) => source.log.query(selection));
      const format = flags.format ?? (io.stdout.isTTY === true ? 'table' : 'json');
      io.stdout.write(
        format === 'table' ? eventTable(events) : `${JSON.stringify(events, null, 2)}\n`,
      );
    });
  return new Command('audit').description(summaryOf('audit')).addCommand(verify).addCommand(query);
}

function withSource(command: Command): Command {
  return command
    .option('--state-dir <dir>', 'the local pipeline state to read', DEFAULT_STATE_DIR)
    .option('--table <name>', 'the deployed audit table instead (default AWS credentials)')
    .option('--anchors-bucket <name>', 'the deployed anchors bucket (with --table)')
    .option('--region <region>', 'the AWS region of --table and --anchors-bucket');
}

async function withAuditSource<T>(
  flags: AuditSourceFlags,
  work: (source: AuditSource) => Promise<T>,
): Promise<T> {
  const source = await openAuditSource(flags);
  try {
    return await work(source);
  } finally {
    await source.close();
  }
}

function querySelection(flags: QueryFlags): AuditQuery {
  const since = dayOf(flags.since, '--since');
  if (flags.digest === undefined && flags.repository === undefined && since === undefined)
    throw new UsageError('say which events: --digest, --repository or --since (or several)');
  return {
    ...(flags.digest !== undefined && { digest: flags.digest }),
    ...(flags.repository !== undefined && { repository: flags.repository }),
    ...(since !== undefined && { since }),
  };
}

function dayOf(value: string | undefined, flag: string): string | undefined {
  if (value === undefined || (isDay(value) && !Number.isNaN(Date.parse(value)))) return value;
  throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a UTC day, YYYY-MM-DD`);
}

function reportText(report: VerifyReport): string {
  const lines = report.chains.map((chain) => `chain ${chain.chain}: ${chainText(chain)}: ok`);
  if (report.problem !== undefined) {
    lines.push(`FAILED ${describeProblem(report.problem)}`);
    return `${lines.join('\n')}\n`;
  }
  const events = report.chains.reduce((n, chain) => n + chain.events, 0);
  lines.push(`anchors: ${report.anchors} checked: ok`);
  lines.push(
    `verified: ${plural(report.chains.length, 'chain')}, ${plural(events, 'event')}, ${plural(report.anchors, 'anchor')}`,
  );
  if (report.anchors === 0)
    lines.push('warning: no anchor covers these chains: a rewrite of the whole table would pass');
  return `${lines.join('\n')}\n`;
}

function chainText(chain: ChainSummary): string {
  const sealed = chain.sealedInto === undefined ? 'open' : `sealed, next ${chain.sealedInto}`;
  return `${plural(chain.links, 'link')}, ${plural(chain.events, 'event')}, ${sealed}`;
}

function eventTable(events: readonly ChainedEvent[]): string {
  const rows = events.map(({ chain, seq, event }) => [
    event.time,
    event.type,
    event.image === undefined
      ? '-'
      : `${event.image.repository}${event.image.tag === undefined ? '' : `:${event.image.tag}`}@${event.image.digest.slice(0, 19)}`,
    event.actor,
    `${chain}#${seq}`,
  ]);
  const header = ['TIME', 'TYPE', 'IMAGE', 'ACTOR', 'CHAIN#SEQ'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n${plural(events.length, 'event')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
