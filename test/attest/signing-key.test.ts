import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  generateSigningKey,
  parseSigningKey,
  serializeSigningKey,
  verificationKeyFromPem,
} from '../../shared/attest';
import { codeOf } from './verdicts';

const NOW = new Date('2026-11-29T10:00:00Z');

describe('signing keys', () => {
  describe('when generated', () => {
    const key = generateSigningKey(NOW);

    it('is an ECDSA P-256 pair whose keyId is the sha256 of its SPKI DER', () => {
      const publicKey = createPublicKey(key.publicKeyPem);
      expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
      const der = publicKey.export({ type: 'spki', format: 'der' });
      expect(key.keyId).toBe(createHash('sha256').update(der).digest('hex'));
      expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(key.createdAt).toBe('2026-11-29T10:00:00.000Z');
    });

    it('round-trips through the secret JSON, keys in the documented order', () => {
      const json = serializeSigningKey(key);
      expect(Object.keys(JSON.parse(json) as object)).toEqual([
        'keyId',
        'privateKeyPem',
        'publicKeyPem',
        'createdAt',
      ]);
      expect(parseSigningKey(json)).toEqual(key);
    });

    it('gives the same keyId from its published PEM', () => {
      expect(verificationKeyFromPem(key.publicKeyPem).keyId).toBe(key.keyId);
    });
  });

  describe('parseSigningKey', () => {
    const key = generateSigningKey(NOW);
    const other = generateSigningKey(NOW);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const json = (value: object) => JSON.stringify({ ...key, ...value });

    it.each([
      ['not JSON', 'not json', /expected JSON/],
      ['the placeholder before the first rotation', '{"placeholder":"abc"}', /keyId/],
      ['a keyId that is not the key', json({ keyId: 'a'.repeat(64) }), /keyId: expected/],
      [
        'a public key of another pair',
        json({ publicKeyPem: other.publicKeyPem }),
        /not the public half/,
      ],
      [
        'a P-384 key',
        json({ privateKeyPem: p384.privateKey.export({ type: 'pkcs8', format: 'pem' }) }),
        /P-256 key, got EC secp384r1/,
      ],
      [
        'an RSA key',
        json({ privateKeyPem: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) }),
        /P-256 key, got rsa/,
      ],
      ['a private key that is not PEM', json({ privateKeyPem: 'x' }), /PKCS#8/],
      ['a createdAt that is no time', json({ createdAt: 'yesterday' }), /createdAt/],
    ])('fails when given %s', (_case, text, message) => {
      expect(codeOf(() => parseSigningKey(text))).toBe('KEY_INVALID');
      expect(() => parseSigningKey(text)).toThrow(message);
    });

    it('never puts the private key in its message', () => {
      const broken = json({ publicKeyPem: other.publicKeyPem });
      expect(() => parseSigningKey(broken)).toThrow(/^(?![\s\S]*PRIVATE)/);
    });
  });
});
