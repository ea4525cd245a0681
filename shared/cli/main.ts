import { Command, CommanderError } from 'commander';
import { isClearanceError, messageOf, VERSION } from '../core';
import { SUMMARIES, type CommandName } from './commands/summaries';
import { ExitCode, type CliIO } from './io';

type Load = (io: CliIO, setExit: (code: ExitCode) => void) => Promise<Command>;

/** How each command is built, importing its module (and the engine it needs) when it runs. */
const LOADERS: Readonly<Record<CommandName, Load>> = {
  inspect: async (io, setExit) => (await import('./commands/inspect')).inspectCommand(io, setExit),
  scan: async (io, setExit) => (await import('./commands/scan')).scanCommand(io, setExit),
  sbom: async (io) => (await import('./commands/sbom')).sbomCommand(io),
  posture: async (io, setExit) => (await import('./commands/posture')).postureCommand(io, setExit),
  db: async (io) => (await import('./commands/db')).dbCommand(io),
  policy: async (io, setExit) => (await import('./commands/policy')).policyCommand(io, setExit),
  pipeline: async (io, setExit) =>
    (await import('./commands/pipeline')).pipelineCommand(io, setExit),
  'verify-verdict': async (io, setExit) =>
    (await import('./commands/verify-verdict')).verifyVerdictCommand(io, setExit),
  audit: async (io, setExit) => (await import('./commands/audit')).auditCommand(io, setExit),
};

/**
 * Runs the `clearance` command line and resolves to its exit code. Errors become one line on
 * stderr (a stack trace too with `--debug`); nothing is thrown to the caller.
 *
 * Only the command being run is loaded: the others are listed by name and summary, so that
 * `clearance --help` does not read the scan engine, the AWS SDK or the vulnerability store.
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
  try {
    const words = argv.filter((arg) => !arg.startsWith('-'));
    const chosen = words[0] === 'help' ? words[1] : words[0];
    for (const [name, summary] of Object.entries(SUMMARIES))
      program.addCommand(
        name === chosen
          ? await LOADERS[name as CommandName](io, setExit)
          : new Command(name).description(summary),
      );
    for (const command of [
      program,
      ...program.commands,
      ...program.commands.flatMap((c) => c.commands),
    ])
      command.exitOverride().configureOutput(output);
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
