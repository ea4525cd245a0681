import { z } from 'zod';
import { VERDICT_PREDICATE_TYPE } from '../image';
import { AttestError } from './errors';

/*
 * The in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md)
 * whose subject is the image (its repository as the name, the digest of its root manifest or
 * index) and whose predicate is Clearance's verdict.
 */

/** `_type` of every in-toto v1 statement. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
/** The DSSE payloadType of an in-toto statement (in-toto attestation spec, envelope.md). */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** What the predicate is: a Clearance verdict, version 1 of its shape (defined beside the artifact classifier). */
export { VERDICT_PREDICATE_TYPE };

const count = z.number().int().nonnegative();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** The verdict as signed: what was decided, under which policy and data, about what was found. */
export const VerdictPredicate = z.object({
  decision: z.enum(['pass', 'warn', 'fail']),
  policy: z.object({ name: z.string(), digest: z.string() }),
  /** The vulnerability data version Match used. */
  vulnerabilityDataVersion: z.string(),
  /** The analyser set the layer reports were made by. */
  analyzerSet: z.string(),
  /**
   * Summed over the platform images (a finding in two platforms counts twice; `platforms` has
   * each one's own), with the secrets found and the failed checks and rules.
   */
  counts: z.object({
    critical: count,
    high: count,
    medium: count,
    low: count,
    unknown: count,
    secrets: count,
    failedChecks: count,
    failedRules: count,
  }),
  failedChecks: z.array(z.string()),
  failedRules: z.array(z.string()),
  /** Each platform image's own decision and severity counts. */
  platforms: z.array(
    z.object({
      platform: z.string(),
      manifestDigest: z.string(),
      decision: z.enum(['pass', 'warn', 'fail']),
      counts: z.object({ critical: count, high: count, medium: count, low: count, unknown: count }),
    }),
  ),
  /** When the verdict was signed (ISO 8601). */
  time: z.string().datetime({ offset: true }),
  scanId: z.string(),
});
export type VerdictPredicate = z.infer<typeof VerdictPredicate>;

const StatementSchema = z.object({
  _type: z.literal(STATEMENT_TYPE),
  subject: z.array(z.object({ name: z.string(), digest: z.record(z.string(), z.string()) })).min(1),
  predicateType: z.string(),
  predicate: z.unknown(),
});

/** A verdict statement about one image. */
export interface VerdictStatement {
  readonly _type: typeof STATEMENT_TYPE;
  readonly subject: readonly {
    readonly name: string;
    readonly digest: { readonly sha256: string };
  }[];
  readonly predicateType: typeof VERDICT_PREDICATE_TYPE;
  readonly predicate: VerdictPredicate;
}

/** The statement that `repository@digest` got `predicate`. */
export function verdictStatement(
  repository: string,
  digest: string,
  predicate: VerdictPredicate,
): VerdictStatement {
  const hex = sha256Hex.safeParse(digest.replace(/^sha256:/, ''));
  if (!digest.startsWith('sha256:') || !hex.success)
    throw new AttestError('WRONG_SUBJECT', `expected a sha256 image digest, got ${digest}`, 'bug');
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: repository, digest: { sha256: hex.data } }],
    predicateType: VERDICT_PREDICATE_TYPE,
    predicate,
  };
}

/**
 * Reads a verified payload as a verdict statement about `digest`. The bytes verified, so a
 * statement that does not parse was signed that way: it is refused as TAMPERED all the same
 * (never trusted), and one about another digest as WRONG_SUBJECT.
 */
export function readVerdictStatement(
  payload: Buffer,
  digest: string,
  where: string,
): VerdictStatement {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new AttestError('TAMPERED', `${where}: the signed payload is not JSON`, 'input', {
      cause: error,
    });
  }
  const statement = StatementSchema.safeParse(value);
  if (!statement.success || statement.data.predicateType !== VERDICT_PREDICATE_TYPE)
    throw new AttestError(
      'TAMPERED',
      `${where}: expected an in-toto v1 statement of ${VERDICT_PREDICATE_TYPE}`,
    );
  const wanted = digest.replace(/^sha256:/, '');
  const subjects = statement.data.subject.map((s) => s.digest.sha256);
  if (!subjects.includes(wanted))
    throw new AttestError(
      'WRONG_SUBJECT',
      `${where}: expected a statement about sha256:${wanted}, got one about ${subjects.map((s) => `sha256:${s ?? '?'}`).join(', ')}`,
    );
  const predicate = VerdictPredicate.safeParse(statement.data.predicate);
  if (!predicate.success)
    throw new AttestError(
      'TAMPERED',
      `${where}: the predicate is not a ${VERDICT_PREDICATE_TYPE} verdict`,
    );
  const subject = statement.data.subject.map((s) => ({
    name: s.name,
    digest: { sha256: s.digest.sha256 ?? '' },
  }));
  return {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: VERDICT_PREDICATE_TYPE,
    predicate: predicate.data,
  };
}
