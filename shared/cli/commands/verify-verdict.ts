import { join } from 'node:path';
import { Command, Option } from 'commander';
import {
  AttestError,
  findAttestations,
  loadTrustedKeys,
  verifyVerdict,
  type AttestationSource,
  type RequiredDecision,
  type VerifiedVerdict,
} from '../../attest';
import type { ImageSource } from '../../image';
import { openImageSource } from '../../sources';
import { UsageError } from '../errors';
import { ExitCode, type CliIO } from '../io';
import { sourceOptionsOf, type ImageFlags } from '../registry-flags';
import { summaryOf } from './summaries';

interface VerifyFlags extends ImageFlags {
  readonly keys: string;
  readonly require?: RequiredDecision;
  readonly json?: boolean;
  readonly attestations?: string;
}

const OCI = 'oci:';

/** Where `pipeline run` leaves the attestations of a local image it does not attach to. */
const LOCAL_ATTESTATIONS =
  'a local image holds no attached attestation unless `pipeline run --attach-to-layout` put it there; ' +
  `give the layout \`pipeline run\` left them in with --attestations DIR (by default ${join('.clearance', 'pipeline', 'attestations')})`;

/** Failures of the verdict itself (exit 1); a bad `--keys` is a usage error (exit 2). */
const VERDICT_FAILURES = new Set([
  'TAMPERED',
  'UNKNOWN_KEY',
  'WRONG_SUBJECT',
  'NO_ATTESTATION',
  'DECISION_NOT_ALLOWED',
]);

/**
 * `clearance verify-verdict IMAGE --keys DIR_OR_URL [--require pass|warn]`: finds the verdict
 * attestation attached to the image's digest (the referrers API, the referrers tag schema, the
 * `sha256-<hex>.att` tag, or an OCI layout's index), verifies it offline against the trusted
 * keys, and prints the verified predicate. Exits 1 unless it holds: none found, tampered, an
 * unknown key, another subject, or a decision `--require` does not accept.
 */
export function verifyVerdictCommand(io: CliIO, setExit: (code: ExitCode) => void): Command {
  return new Command('verify-verdict')
    .description(summaryOf('verify-verdict'))
    .argument('<image>', 'oci:DIR[:TAG|@DIGEST] or a registry reference (HOST/REPO[:TAG|@DIGEST])')
    .requiredOption(
      '--keys <dir-or-url>',
      'trusted public keys: a directory of *.pem, or the URL of verdict-keys/index.json',
    )
    .addOption(
      new Option('--require <decision>', 'accept only pass, or pass and warn').choices([
        'pass',
        'warn',
      ]),
    )
    .option('--json', 'print the verified statement as JSON')
    .option(
      '--attestations <dir>',
      'look in this OCI layout for the attestation (where `pipeline run` leaves those of local images)',
    )
    .option(
      '--username <name>',
      'registry user (or CLEARANCE_REGISTRY_USERNAME, or docker config.json)',
    )
    .option('--password <secret>', 'registry password or token (or CLEARANCE_REGISTRY_PASSWORD)')
    .option(
      '--plain-http',
      'talk HTTP, not HTTPS, to the registry (automatic for localhost and 127.0.0.1)',
    )
    .action(async (reference: string, flags: VerifyFlags) => {
      const image = openImageSource(reference, sourceOptionsOf(flags, io));
      const keys = await loadTrustedKeys(flags.keys);
      const source =
        flags.attestations === undefined
          ? attestationSource(image)
          : attestationSource(openImageSource(`oci:${flags.attestations}`));
      try {
        const { digest } = await image.resolveRoot();
        const found = await findAttestations(source, digest);
        const verified = verifyVerdict(found, {
          digest,
          keys,
          ...(flags.require && { require: flags.require }),
          ...(flags.attestations === undefined &&
            reference.startsWith(OCI) && { whereElse: LOCAL_ATTESTATIONS }),
        });
        io.stdout.write(
          flags.json
            ? `${JSON.stringify(report(image, digest, verified), null, 2)}\n`
            : summary(image, digest, verified),
        );
      } catch (error) {
        if (!(error instanceof AttestError) || !VERDICT_FAILURES.has(error.code)) throw error;
        io.stderr.write(`clearance: ${error.code}: ${error.message}\n`);
        setExit(ExitCode.gateFailed);
      } finally {
        await image.close();
        if (source !== image) await source.close();
      }
    });
}

function attestationSource(source: ImageSource): AttestationSource {
  if (!('listReferrers' in source))
    throw new UsageError(
      `${source.reference}: verdicts are attached to registry images and OCI layouts, not archives`,
    );
  return source as AttestationSource;
}

function report(source: ImageSource, digest: string, verified: VerifiedVerdict) {
  return {
    image: source.reference,
    digest,
    attestation: verified.attestation,
    keyId: verified.keyId,
    statement: verified.statement,
  };
}

function summary(source: ImageSource, digest: string, verified: VerifiedVerdict): string {
  const { predicate } = verified.statement;
  const lines = [
    `verified: ${predicate.decision} verdict of ${source.reference} (${digest})`,
    `  signed by key ${verified.keyId} at ${predicate.time}, scan ${predicate.scanId}`,
    `  attestation ${verified.attestation}`,
    `  policy ${predicate.policy.name} (${predicate.policy.digest}), data ${predicate.vulnerabilityDataVersion}, analysers ${predicate.analyzerSet}`,
    JSON.stringify(predicate, null, 2),
  ];
  return `${lines.join('\n')}\n`;
}
