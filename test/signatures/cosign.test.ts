import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import {
  SignatureError,
  checkSignature,
  keyFromKms,
  keyFromPem,
  signatureReport,
  type CosignSignature,
} from '../../shared/signatures';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;

/** A simple-signing payload as cosign writes it. */
const payload = (digest: string) =>
  Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': 'registry.example.org/team/app' },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );

const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pemOf = (key: KeyObject) => key.export({ format: 'pem', type: 'spki' }).toString();

function signed(bytes: Buffer, privateKey: KeyObject, padding?: number): CosignSignature {
  const options =
    privateKey.asymmetricKeyType === 'ec'
      ? { key: privateKey, dsaEncoding: 'der' as const }
      : { key: privateKey, padding };
  return { payload: bytes, signature: sign('sha256', bytes, options).toString('base64') };
}

describe('cosign signatures', () => {
  const ecKey = keyFromPem(pemOf(ec.publicKey), 'cosign.pub');
  const rsaKey = keyFromPem(pemOf(rsa.publicKey), 'rsa.pub');

  it('verify with the ECDSA P-256 key that signed them, naming the key', () => {
    expect(checkSignature(signed(payload(DIGEST), ec.privateKey), [rsaKey, ecKey], DIGEST)).toEqual(
      {
        status: 'valid',
        keyId: ecKey.id,
      },
    );
    expect(ecKey.id).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ['PKCS#1 v1.5', constants.RSA_PKCS1_PADDING],
    ['PSS', constants.RSA_PKCS1_PSS_PADDING],
  ])('verify with an RSA key (%s)', (_, padding) => {
    expect(
      checkSignature(signed(payload(DIGEST), rsa.privateKey, padding), [rsaKey], DIGEST).status,
    ).toBe('valid');
  });

  describe('are invalid, not unsigned,', () => {
    it('when the payload was changed after signing', () => {
      const original = signed(payload(DIGEST), ec.privateKey);
      const tampered = {
        ...original,
        payload: Buffer.from(original.payload.toString().replace('app', 'ap2')),
      };
      expect(checkSignature(tampered, [ecKey], DIGEST)).toEqual({
        status: 'invalid',
        reason: 'the signature does not verify with any of the keys',
      });
    });

    it('when another key signed them', () => {
      const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      expect(
        checkSignature(signed(payload(DIGEST), stranger.privateKey), [ecKey], DIGEST).status,
      ).toBe('invalid');
    });

    it('when they sign another image', () => {
      expect(checkSignature(signed(payload(OTHER), ec.privateKey), [ecKey], DIGEST)).toEqual({
        status: 'invalid',
        reason: `the signature is for ${OTHER}, not ${DIGEST}`,
      });
    });

    it.each([
      ['not JSON', Buffer.from('{'), /not JSON/],
      [
        'not simple signing',
        Buffer.from('{"critical":{"type":"other"}}'),
        /not a cosign simple-signing payload/,
      ],
      [
        'without a digest',
        Buffer.from('{"critical":{"type":"cosign container image signature","image":{}}}'),
        /no docker-manifest-digest/,
      ],
    ])('when the payload is %s', (_, bytes, reason) => {
      const check = checkSignature(signed(bytes, ec.privateKey), [ecKey], DIGEST);
      expect(check).toMatchObject({ status: 'invalid', reason: expect.stringMatching(reason) });
    });

    it('when the signature is not base64 of a signature', () => {
      expect(
        checkSignature(
          { payload: payload(DIGEST), signature: 'bm90IGEgc2lnbmF0dXJl' },
          [ecKey],
          DIGEST,
        ).status,
      ).toBe('invalid');
    });
  });

  describe('signatureReport', () => {
    it('is signed when one signature verifies, unsigned when there is none, else invalid', () => {
      const valid = { status: 'valid', keyId: ecKey.id } as const;
      const invalid = { status: 'invalid', reason: 'r' } as const;
      expect(signatureReport([invalid, valid])).toEqual({
        status: 'signed',
        keyId: ecKey.id,
        problems: ['r'],
      });
      expect(signatureReport([])).toEqual({ status: 'unsigned', keyId: null, problems: [] });
      expect(signatureReport([invalid])).toEqual({
        status: 'invalid',
        keyId: null,
        problems: ['r'],
      });
    });
  });

  describe('keys', () => {
    it.each([
      [
        'an Ed25519 key',
        pemOf(generateKeyPairSync('ed25519').publicKey),
        /a ed25519 key; cosign keys are ECDSA P-256 or RSA/,
      ],
      [
        'a P-384 key',
        pemOf(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey),
        /EC secp384r1/,
      ],
      ['not a key', 'hello', /not a PEM public key/],
    ])('refuses %s', (_, pem, message) => {
      expect(() => keyFromPem(pem, 'k.pub')).toThrow(SignatureError);
      expect(() => keyFromPem(pem, 'k.pub')).toThrow(message);
    });

    describe('from AWS KMS', () => {
      const kms = mockClient(KMSClient);
      beforeEach(() => kms.reset());
      const client = new KMSClient({ region: 'eu-west-1' });
      const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

      it('fetches the public key with GetPublicKey and verifies with it', async () => {
        kms.on(GetPublicKeyCommand, { KeyId: arn }).resolves({
          PublicKey: ec.publicKey.export({ format: 'der', type: 'spki' }),
        });
        const key = await keyFromKms(client, arn);
        expect(key.id).toBe(arn);
        expect(checkSignature(signed(payload(DIGEST), ec.privateKey), [key], DIGEST).status).toBe(
          'valid',
        );
      });

      it('fails with a transient error when KMS cannot be reached', async () => {
        kms
          .on(GetPublicKeyCommand)
          .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
        await expect(keyFromKms(client, arn)).rejects.toMatchObject({
          code: 'KEY_UNAVAILABLE',
          kind: 'transient',
          message: expect.stringMatching(/GetPublicKey .* failed: ThrottlingException/),
        });
      });
    });
  });
});
