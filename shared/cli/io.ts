/** The CLI's streams and environment, injectable so tests run it in-process. */
export interface CliIO {
  /** `isTTY` picks the human format where a command has one (`scan`: a table). */
  readonly stdout: { write(chunk: string): unknown; readonly isTTY?: boolean };
  /** On a terminal (`isTTY`, its width in `columns`), commands draw their progress there. */
  readonly stderr: {
    write(chunk: string): unknown;
    readonly isTTY?: boolean;
    readonly columns?: number;
  };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock; `SOURCE_DATE_EPOCH` in `env` overrides it (reproducible builds convention). */
  readonly now?: () => Date;
  /**
   * The CDK app's template, synthesized with `context` over cdk.json's: what `pipeline run`
   * executes when given no `--template`. The entry that bundles the CDK app provides it
   * (bin/clearance.ts); the engine never imports the app.
   * @default - none: `pipeline run` needs `--template`
   */
  readonly synthesize?: Synthesize;
}

/** Synthesizes the CDK app's template (lib/synthesize.ts), with `context` over cdk.json's. */
export type Synthesize = (
  context: Readonly<Record<string, string>>,
) => Promise<Readonly<Record<string, unknown>>>;

/** Now, as the CLI sees it: `SOURCE_DATE_EPOCH` (seconds) when set, else the injected clock. */
export function nowOf(io: CliIO): Date {
  const epoch = io.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return io.now?.() ?? new Date();
}

/** Exit codes of every command (README, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** A gate failed: `--fail-on`, a policy, a layer that did not verify. */
  gateFailed: 1,
  /** Usage or input error: bad reference, unreadable image, auth failure. */
  inputError: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
