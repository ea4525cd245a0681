/**
 * What each top-level command does, in one line: `clearance --help` lists these without loading
 * any command, and each command takes its description from here.
 */
export const SUMMARIES = {
  inspect: "print an image's manifests, configs and layers as JSON",
  scan: 'scan an image: OS, installed packages, known vulnerabilities and secrets',
  sbom: 'write a CycloneDX 1.6 or SPDX 2.3 JSON SBOM of an image',
  posture:
    'check how containers run: ECS task definitions, Kubernetes manifests, Compose files, ECR registry settings (CIS Docker Benchmark v1.6.0 §5)',
  db: 'manage the local vulnerability data (OSV)',
  policy: 'policy as code (CEL)',
  pipeline: 'the cloud pipeline, locally',
  'verify-verdict': "verify the signed Clearance verdict attached to an image's digest",
  audit: 'the tamper-evident audit trail',
} as const;

export type CommandName = keyof typeof SUMMARIES;

/** The summary of command `name`, for the command's own `.description(…)`. */
export function summaryOf(name: CommandName): string {
  return SUMMARIES[name];
}
