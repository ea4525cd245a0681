import { AttestError } from './errors';
import { parseEnvelope, signEnvelope, verifyEnvelope } from './dsse';
import {
  IN_TOTO_PAYLOAD_TYPE,
  readVerdictStatement,
  verdictStatement,
  type VerdictPredicate,
  type VerdictStatement,
} from './statement';
import { privateKeyOf, type SigningKey, type VerificationKey } from './signing-key';

/** The decisions a caller accepts: `pass` only, or `pass` and `warn`. */
export type RequiredDecision = 'pass' | 'warn';

/** An envelope found next to an image, and where it was found (for messages). */
export interface FoundEnvelope {
  /** The digest of the artifact manifest holding it. */
  readonly attestation: string;
  readonly bytes: Buffer;
  /** Why the envelope's bytes are not what its manifest names (a changed blob). */
  readonly damaged?: string;
}

/** A verdict that verified. */
export interface VerifiedVerdict {
  readonly attestation: string;
  readonly keyId: string;
  readonly statement: VerdictStatement;
}

/** The DSSE envelope (JSON bytes) of the statement that `repository@digest` got `predicate`. */
export function signVerdict(
  repository: string,
  digest: string,
  predicate: VerdictPredicate,
  key: SigningKey,
): Buffer {
  const payload = Buffer.from(JSON.stringify(verdictStatement(repository, digest, predicate)));
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, payload, {
    keyId: key.keyId,
    privateKey: privateKeyOf(key),
  });
  return Buffer.from(JSON.stringify(envelope));
}

/** Options of {@link verifyVerdict}. */
export interface VerifyVerdictOptions {
  /** The image digest the statement must be about. */
  readonly digest: string;
  readonly keys: readonly VerificationKey[];
  /** @default - any decision that verifies */
  readonly require?: RequiredDecision;
  /**
   * Where else to look when none was found (a local image's attestations are left beside it),
   * said in NO_ATTESTATION's message.
   * @default - the message names only the digest
   */
  readonly whereElse?: string;
}

/** Errors reported first when no envelope verifies: the most telling. */
const PRIORITY = ['TAMPERED', 'WRONG_SUBJECT', 'UNKNOWN_KEY'];

/**
 * The newest verdict (by its signed time) among the envelopes that verify: signature over the
 * recomputed PAE by a trusted key, an in-toto statement of the verdict predicate, about
 * `digest`. When none verifies, the most telling failure is thrown (TAMPERED, WRONG_SUBJECT,
 * UNKNOWN_KEY; NO_ATTESTATION when there were none). The verified verdict's decision must be
 * one `require` allows, else DECISION_NOT_ALLOWED.
 */
export function verifyVerdict(
  envelopes: readonly FoundEnvelope[],
  options: VerifyVerdictOptions,
): VerifiedVerdict {
  if (envelopes.length === 0)
    throw new AttestError(
      'NO_ATTESTATION',
      `no verdict attestation found for ${options.digest}` +
        (options.whereElse === undefined ? '' : `: ${options.whereElse}`),
    );
  const verified: VerifiedVerdict[] = [];
  const failures: AttestError[] = [];
  for (const found of envelopes) {
    try {
      verified.push(verifyOne(found, options));
    } catch (error) {
      if (!(error instanceof AttestError)) throw error;
      failures.push(error);
    }
  }
  const newest = verified.sort((a, b) => timeOf(b) - timeOf(a))[0];
  if (newest === undefined) throw mostTelling(failures);
  checkDecision(newest, options);
  return newest;
}

function verifyOne(found: FoundEnvelope, options: VerifyVerdictOptions): VerifiedVerdict {
  const where = `attestation ${found.attestation}`;
  if (found.damaged !== undefined) throw new AttestError('TAMPERED', `${where}: ${found.damaged}`);
  const envelope = parseEnvelope(found.bytes, where);
  const { payloadType, payload, keyId } = verifyEnvelope(envelope, options.keys, where);
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE)
    throw new AttestError(
      'TAMPERED',
      `${where}: expected payloadType ${IN_TOTO_PAYLOAD_TYPE}, got ${payloadType}`,
    );
  const statement = readVerdictStatement(payload, options.digest, where);
  return { attestation: found.attestation, keyId, statement };
}

function checkDecision(verdict: VerifiedVerdict, options: VerifyVerdictOptions): void {
  const { decision } = verdict.statement.predicate;
  if (options.require === undefined) return;
  const allowed = options.require === 'pass' ? ['pass'] : ['pass', 'warn'];
  if (!allowed.includes(decision))
    throw new AttestError(
      'DECISION_NOT_ALLOWED',
      `the verified verdict of ${options.digest} is ${decision}; --require ${options.require} accepts ${allowed.join(' or ')}`,
    );
}

function mostTelling(failures: readonly AttestError[]): AttestError {
  for (const code of PRIORITY) {
    const found = failures.find((f) => f.code === code);
    if (found !== undefined) return found;
  }
  return failures[0]!;
}

function timeOf(verdict: VerifiedVerdict): number {
  return Date.parse(verdict.statement.predicate.time);
}
