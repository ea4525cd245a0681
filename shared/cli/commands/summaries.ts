import type { Command } from 'commander';
import type { CliIO, ExitCode } from '../io';

/** One top-level command: its name and summary (for `clearance --help`), and how to load it. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** Imports the command's module (and with it the engine it needs) and builds the command. */
  readonly load: (io: CliIO, setExit: (code: ExitCode) => void) => Promise<Command>;
}

/**
 * Every top-level command, in the order `clearance --help` lists them. Each module is imported
 * only when its command runs; the command takes its description from here.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'inspect',
    summary: "print an image's manifests, configs and layers as JSON",
    load: async (io, setExit) => (await import('./inspect')).inspectCommand(io, setExit),
  },
  {
    name: 'scan',
    summary: 'scan an image: OS, installed packages, known vulnerabilities and secrets',
    load: async (io, setExit) => (await import('./scan')).scanCommand(io, setExit),
  },
  {
    name: 'sbom',
    summary: 'write a CycloneDX 1.6 or SPDX 2.3 JSON SBOM of an image',
    load: async (io) => (await import('./sbom')).sbomCommand(io),
  },
  {
    name: 'posture',
    summary:
      'check how containers run: ECS task definitions, Kubernetes manifests, Compose files, ECR registry settings (CIS Docker Benchmark v1.6.0 §5)',
    load: async (io, setExit) => (await import('./posture')).postureCommand(io, setExit),
  },
  {
    name: 'db',
    summary: 'manage the local vulnerability data (OSV)',
    load: async (io) => (await import('./db')).dbCommand(io),
  },
  {
    name: 'policy',
    summary: 'policy as code (CEL)',
    load: async (io, setExit) => (await import('./policy')).policyCommand(io, setExit),
  },
  {
    name: 'pipeline',
    summary: 'the cloud pipeline, locally',
    load: async (io, setExit) => (await import('./pipeline')).pipelineCommand(io, setExit),
  },
  {
    name: 'verify-verdict',
    summary: "verify the signed Clearance verdict attached to an image's digest",
    load: async (io, setExit) =>
      (await import('./verify-verdict')).verifyVerdictCommand(io, setExit),
  },
  {
    name: 'audit',
    summary: 'the tamper-evident audit trail',
    load: async (io, setExit) => (await import('./audit')).auditCommand(io, setExit),
  },
];

/** The entry named `name`, if it is a command. */
export function commandNamed(name: string | undefined): CommandEntry | undefined {
  return COMMANDS.find((entry) => entry.name === name);
}

/** The summary of command `name`, for the command's own `.description(…)`. */
export function summaryOf(name: string): string {
  const entry = commandNamed(name);
  if (entry === undefined) throw new Error(`no command ${name}`);
  return entry.summary;
}
