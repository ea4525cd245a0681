import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import {
  AttestError,
  generateSigningKey,
  pae,
  parseEnvelope,
  privateKeyOf,
  signEnvelope,
  verificationKeyFromPem,
  verifyEnvelope,
} from '../../shared/attest';
import { codeOf } from './verdicts';

/** The example of DSSE protocol.md (v1.0.0, "Test Vectors"). */
const VECTOR = {
  payloadType: 'http://example.com/HelloWorld',
  body: 'hello world',
  pae: 'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
  x: 46950820868899156662930047687818585632848591499744589407958293238635476079160n,
  y: 5640078356564379163099075877009565129882514886557779369047442380624545832820n,
  sig: 'A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA==',
};

function coordinate(n: bigint): string {
  return Buffer.from(n.toString(16).padStart(64, '0'), 'hex').toString('base64url');
}

describe('pae', () => {
  it('encodes the DSSE protocol test vector', () => {
    expect(pae(VECTOR.payloadType, Buffer.from(VECTOR.body)).toString()).toBe(VECTOR.pae);
  });

  it('counts bytes, not characters', () => {
    expect(pae('t', Buffer.from('é')).toString()).toBe('DSSEv1 1 t 2 é');
  });

  it('is what the test vector key signed (ECDSA P-256, r‖s)', () => {
    const key = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: coordinate(VECTOR.x), y: coordinate(VECTOR.y) },
      format: 'jwk',
    });
    const message = pae(VECTOR.payloadType, Buffer.from(VECTOR.body));
    const signature = Buffer.from(VECTOR.sig, 'base64');
    expect(verify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });
});

describe('verifyEnvelope', () => {
  const key = generateSigningKey();
  const trusted = [verificationKeyFromPem(key.publicKeyPem)];
  const signed = signEnvelope('application/x-test', Buffer.from('body'), {
    keyId: key.keyId,
    privateKey: privateKeyOf(key),
  });

  it('returns the payload and the key that signed it', () => {
    const verified = verifyEnvelope(signed, trusted, 'test');
    expect(verified.payload.toString()).toBe('body');
    expect(verified.keyId).toBe(key.keyId);
    expect(signed.signatures[0]!.keyid).toBe(key.keyId);
  });

  it('accepts URL-safe base64 (protocol.md: verifiers MUST accept either)', () => {
    const urlSafe = {
      ...signed,
      payload: Buffer.from('body').toString('base64url'),
      signatures: signed.signatures.map((s) => ({
        ...s,
        sig: Buffer.from(s.sig, 'base64').toString('base64url'),
      })),
    };
    expect(verifyEnvelope(urlSafe, trusted, 'test').payload.toString()).toBe('body');
  });

  it('fails when the payload type was changed (it is authenticated)', () => {
    const retyped = { ...signed, payloadType: 'application/x-other' };
    expect(codeOf(() => verifyEnvelope(retyped, trusted, 'test'))).toBe('TAMPERED');
  });

  it('fails when the signature is not DER', () => {
    const garbled = { ...signed, signatures: [{ keyid: key.keyId, sig: 'AAAA' }] };
    expect(codeOf(() => verifyEnvelope(garbled, trusted, 'test'))).toBe('TAMPERED');
  });

  it('fails with UNKNOWN_KEY when no trusted key has the keyid', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    const stranger = verificationKeyFromPem(
      other.export({ type: 'spki', format: 'pem' }).toString(),
    );
    expect(codeOf(() => verifyEnvelope(signed, [stranger], 'test'))).toBe('UNKNOWN_KEY');
  });
});

describe('parseEnvelope', () => {
  it.each([
    ['empty', ''],
    ['not JSON', '{"payload'],
    ['no signatures', '{"payloadType":"x","payload":"","signatures":[]}'],
    ['a statement, not an envelope', '{"_type":"https://in-toto.io/Statement/v1"}'],
  ])('fails when the bytes are %s', (_case, text) => {
    expect(() => parseEnvelope(Buffer.from(text), 'test')).toThrow(AttestError);
  });
});
