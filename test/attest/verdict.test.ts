import {
  generateSigningKey,
  verificationKeyFromPem,
  verifyVerdict,
  type FoundEnvelope,
} from '../../shared/attest';
import { envelope, IMAGE_DIGEST, OTHER_DIGEST, codeOf } from './verdicts';

const NOW = new Date('2026-11-29T10:00:00Z');
const current = generateSigningKey(NOW);
const previous = generateSigningKey(new Date('2026-10-30T10:00:00Z'));
const trusted = [current, previous].map((k) => verificationKeyFromPem(k.publicKeyPem));

/** The envelope with its statement's predicate edited after signing. */
function tamper(found: FoundEnvelope, edit: (predicate: Record<string, unknown>) => void) {
  const env = JSON.parse(found.bytes.toString()) as { payload: string };
  const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString()) as {
    predicate: Record<string, unknown>;
  };
  edit(statement.predicate);
  env.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
  return { ...found, bytes: Buffer.from(JSON.stringify(env)) };
}

describe('verifyVerdict', () => {
  describe('when the verdict was signed by the current key', () => {
    it('returns the verified statement, its subject and the signing key', () => {
      const verified = verifyVerdict([envelope(current)], { digest: IMAGE_DIGEST, keys: trusted });
      expect(verified.keyId).toBe(current.keyId);
      expect(verified.statement).toMatchObject({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'team/app', digest: { sha256: IMAGE_DIGEST.slice(7) } }],
        predicateType: 'https://clearance.dev/verdict/v1',
        predicate: { decision: 'pass', scanId: 'scan-1' },
      });
    });
  });

  describe('when the verdict was signed by a key rotated out since', () => {
    it('still verifies with the previous key among the trusted ones', () => {
      const verified = verifyVerdict([envelope(previous)], { digest: IMAGE_DIGEST, keys: trusted });
      expect(verified.keyId).toBe(previous.keyId);
    });
  });

  describe('when several verdicts are attached', () => {
    it('takes the newest that verifies', () => {
      const older = envelope(previous, { decision: 'pass', time: '2026-11-01T00:00:00Z' });
      const newer = envelope(current, { decision: 'fail', time: '2026-11-29T00:00:00Z' });
      const verified = verifyVerdict([newer, older], { digest: IMAGE_DIGEST, keys: trusted });
      expect(verified.statement.predicate.decision).toBe('fail');
    });

    it('ignores a tampered one when another verifies', () => {
      const bad = tamper(envelope(current, { decision: 'fail' }), (p) => (p.decision = 'pass'));
      const good = envelope(previous, { decision: 'warn' });
      const verified = verifyVerdict([bad, good], { digest: IMAGE_DIGEST, keys: trusted });
      expect(verified.statement.predicate.decision).toBe('warn');
    });
  });

  describe('--require', () => {
    it.each([
      ['pass', 'pass', true],
      ['pass', 'warn', false],
      ['pass', 'fail', false],
      ['warn', 'pass', true],
      ['warn', 'warn', true],
      ['warn', 'fail', false],
    ] as const)('--require %s with a %s verdict: allowed %s', (require, decision, allowed) => {
      const verify = () =>
        verifyVerdict([envelope(current, { decision })], {
          digest: IMAGE_DIGEST,
          keys: trusted,
          require,
        });
      if (allowed) expect(verify().statement.predicate.decision).toBe(decision);
      else expect(codeOf(verify)).toBe('DECISION_NOT_ALLOWED');
    });
  });

  it('fails with TAMPERED when the predicate was changed after signing', () => {
    const bad = tamper(envelope(current, { decision: 'fail' }), (p) => (p.decision = 'pass'));
    expect(codeOf(() => verifyVerdict([bad], { digest: IMAGE_DIGEST, keys: trusted }))).toBe(
      'TAMPERED',
    );
  });

  it('fails with TAMPERED when the envelope blob is not what its manifest names', () => {
    const damaged = { ...envelope(current), damaged: 'digest mismatch' };
    expect(codeOf(() => verifyVerdict([damaged], { digest: IMAGE_DIGEST, keys: trusted }))).toBe(
      'TAMPERED',
    );
  });

  it('fails with UNKNOWN_KEY when signed by a key not among the trusted ones', () => {
    const stranger = generateSigningKey(NOW);
    expect(
      codeOf(() => verifyVerdict([envelope(stranger)], { digest: IMAGE_DIGEST, keys: trusted })),
    ).toBe('UNKNOWN_KEY');
  });

  it('fails with WRONG_SUBJECT when the statement is about another image', () => {
    const elsewhere = envelope(current, {}, OTHER_DIGEST);
    expect(codeOf(() => verifyVerdict([elsewhere], { digest: IMAGE_DIGEST, keys: trusted }))).toBe(
      'WRONG_SUBJECT',
    );
  });

  it('fails with NO_ATTESTATION when none is attached', () => {
    expect(codeOf(() => verifyVerdict([], { digest: IMAGE_DIGEST, keys: trusted }))).toBe(
      'NO_ATTESTATION',
    );
  });
});
