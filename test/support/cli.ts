import { runCli } from '../../shared/cli/main';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs the `clearance` CLI in-process with captured streams, as a user would from a shell. */
export async function clearance(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  terminal: { isTTY?: boolean } = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s), ...terminal },
    stderr: { write: (s: string) => (stderr += s) },
    env: { HOME: '/nonexistent', ...env },
    // As bin/clearance.ts: the CDK app, loaded when `pipeline run` synthesizes it.
    synthesize: async (context) =>
      (await import('../../lib/synthesize')).synthesizeTemplate({ context }),
  });
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}
