import { Command, CommanderError } from 'commander';
import { isClearanceError, messageOf } from '../core';
import { auditCommand } from './commands/audit';
import { dbCommand } from './commands/db';
import { inspectCommand } from './commands/inspect';
import { sbomCommand } from './commands/sbom';
import { pipelineCommand } from './commands/pipeline';
import { policyCommand } from './commands/policy';
import { postureCommand } from './commands/posture';
import { scanCommand } from './commands/scan';
import { verifyVerdictCommand } from './commands/verify-verdict';
import { ExitCode, type CliIO } from './io';

const VERSION = '0.1.0';

/**
 * Runs the `clearance` command line and resolves to its exit code. Errors become one line on
 * stderr (a stack trace too with `--debug`); nothing is thrown to the caller.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  let exit: ExitCode = ExitCode.ok;
  const setExit = (code: ExitCode): void => {
    exit = Math.max(exit, code) as ExitCode;
  };
  const output = {
    writeOut: (s: string) => io.stdout.write(s),
    writeErr: (s: string) => io.stderr.write(s),
  };
  const program = new Command('clearance')
    .description('Check container images against a security checklist')
    .version(VERSION)
    .option('--debug', 'print stack traces with errors')
    .showHelpAfterError('(run clearance --help for usage)');
  program.addCommand(inspectCommand(io, setExit));
  program.addCommand(scanCommand(io, setExit));
  program.addCommand(sbomCommand(io));
  program.addCommand(postureCommand(io, setExit));
  program.addCommand(dbCommand(io));
  program.addCommand(policyCommand(io, setExit));
  program.addCommand(pipelineCommand(io, setExit));
  program.addCommand(verifyVerdictCommand(io, setExit));
  program.addCommand(auditCommand(io, setExit));
  for (const command of [
    program,
    ...program.commands,
    ...program.commands.flatMap((c) => c.commands),
  ])
    command.exitOverride().configureOutput(output);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    return reportError(error, io, argv.includes('--debug'));
  }
  return exit;
}

function reportError(error: unknown, io: CliIO, debug: boolean): ExitCode {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.inputError;
  }
  const message = messageOf(error);
  io.stderr.write(`clearance: ${message}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  if (!isClearanceError(error))
    io.stderr.write('clearance: this is a bug; please report it with --debug output\n');
  return ExitCode.inputError;
}
