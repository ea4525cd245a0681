import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager/secret-store';
import {
  ROTATION_STEPS,
  RotationError,
  registryTokenRotator,
  rotateSecret,
  tokenApi,
  type RotationStep,
} from '../../shared/rotation';
import { FakeSecretsManager, SECRET_ARN } from '../support/secrets-manager';
import { USERNAME, startTokenRegistry, type TokenRegistry } from '../support/token-registry';

const INITIAL = 'tok-initial-0123456789abcdef';
const CONTEXT = { secretId: SECRET_ARN, secretName: 'registry/ci', token: 'v1' };
const fake = new FakeSecretsManager();
const rotator = registryTokenRotator({ api: tokenApi({ timeoutMs: 2000 }) });
let registry: TokenRegistry;
let logs: string[];

function credential(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    registry: registry.url.replace('http://', ''),
    username: USERNAME,
    token: INITIAL,
    tokenEndpoint: `${registry.url}/api/tokens`,
    checkUrl: `${registry.url}/v2/`,
    note: 'kept as it is',
    ...extra,
  });
}

const deps = () => ({
  store: new SecretsManagerStore({ client: new SecretsManagerClient({ region: 'eu-west-1' }) }),
  rotators: [rotator],
  log: { info: (...line: unknown[]) => void logs.push(JSON.stringify(line)) },
  clock: () => new Date('2026-05-01T00:00:00Z'),
});

async function rotate(token: string, steps: readonly RotationStep[] = ROTATION_STEPS) {
  fake.addVersion(token, undefined, ['AWSPENDING']);
  const d = deps();
  for (const s of steps) await rotateSecret({ secretId: SECRET_ARN, token, step: s }, d);
}

const valueOf = (version: string) => JSON.parse(fake.valueOf(version)!) as Record<string, unknown>;
const live = (token: unknown) => registry.tokens.get(token as string)?.revoked === false;

async function failure(promise: Promise<unknown>): Promise<RotationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RotationError);
  return error as RotationError;
}

describe('registryTokenRotator', () => {
  beforeEach(async () => {
    registry = await startTokenRegistry(INITIAL);
    logs = [];
  });

  afterEach(async () => {
    await registry.stop();
  });

  describe('when a rotation runs its four steps', () => {
    beforeEach(() => fake.reset(credential(), { 'clearance:rotator': 'registry-token' }));

    it('makes current a new token the registry accepts, keeping the other fields', async () => {
      await rotate('v1');
      const current = valueOf('v1');
      expect(fake.versionWith('AWSCURRENT')).toBe('v1');
      expect(current.token).not.toBe(INITIAL);
      expect(live(current.token)).toBe(true);
      expect(current).toMatchObject({
        tokenId: 'id-1',
        expiresAt: '2026-12-31T00:00:00Z',
        note: 'kept as it is',
      });
    });

    it('leaves the replaced token to expire by default', async () => {
      await rotate('v1');
      expect(live(INITIAL)).toBe(true);
      expect(registry.requests.filter((r) => r.startsWith('DELETE'))).toEqual([]);
    });

    it('asks for one token however often createSecret runs', async () => {
      await rotate('v1', ['createSecret', 'createSecret']);
      expect(registry.requests.filter((r) => r.startsWith('POST'))).toHaveLength(1);
    });

    it('logs facts about the token, never the token', async () => {
      await rotate('v1');
      const text = logs.join('\n');
      expect(text).toContain('"tokenId":"id-1"');
      expect(text).not.toContain(INITIAL);
      expect(text).not.toContain(valueOf('v1').token as string);
    });
  });

  describe('when revokePrevious is set', () => {
    beforeEach(() =>
      fake.reset(credential({ revokePrevious: true, tokenId: 'id-0' }), {
        'clearance:rotator': 'registry-token',
      }),
    );

    it('revokes the replaced token at finishSecret, and again is no error', async () => {
      await rotate('v1');
      expect(live(INITIAL)).toBe(false);
      expect(live(valueOf('v1').token)).toBe(true);
      await rotateSecret({ secretId: SECRET_ARN, token: 'v1', step: 'finishSecret' }, deps());
      // The second DELETE finds it revoked already (404): done, not a failure.
      expect(registry.requests.filter((r) => r.startsWith('DELETE'))).toEqual([
        'DELETE /api/tokens/id-0 authenticated',
        'DELETE /api/tokens/id-0 authenticated',
      ]);
    });
  });

  describe('when the answer to a token request was lost', () => {
    it('gets the same token again for the same version (Idempotency-Key)', async () => {
      const value = credential();
      const first = JSON.parse(await rotator.create(value, CONTEXT)) as { token: string };
      const again = JSON.parse(await rotator.create(value, CONTEXT)) as { token: string };
      expect(again.token).toBe(first.token);
    });
  });

  describe('testSecret', () => {
    beforeEach(() => fake.reset(credential(), { 'clearance:rotator': 'registry-token' }));

    it('fails when the registry refuses the pending token, leaving AWSCURRENT where it was', async () => {
      await rotate('v1', ['createSecret', 'setSecret']);
      registry.tokens.get(valueOf('v1').token as string)!.revoked = true;
      const error = await failure(
        rotateSecret({ secretId: SECRET_ARN, token: 'v1', step: 'testSecret' }, deps()),
      );
      expect(error.code).toBe('TEST_FAILED');
      expect(error.message).toContain(`refused the pending token for ${USERNAME}: HTTP 401`);
      expect(fake.versionWith('AWSCURRENT')).toBe('v0');
    });

    it('does not follow a redirect with the credential', async () => {
      const pending = credential({ checkUrl: `${registry.url}/moved` });
      const error = await failure(rotator.test(pending, CONTEXT));
      expect(error).toMatchObject({ code: 'REGISTRY_REQUEST_FAILED', kind: 'input' });
      expect(error.message).toContain('HTTP 307 (a redirect: not followed with a credential)');
      expect(registry.requests).toEqual([`GET /moved authenticated`]);
    });

    it('names the URL without its query string', async () => {
      const pending = credential({
        checkUrl: `${registry.url}/v2/?access_token=Q-S3CRET`,
        token: 'tok-wrong',
      });
      const error = await failure(rotator.test(pending, CONTEXT));
      expect(error.message).not.toContain('Q-S3CRET');
      expect(error.message).not.toContain('tok-wrong');
    });
  });

  describe('when the token API fails', () => {
    it.each([
      [401, 'input'],
      [403, 'input'],
      [429, 'transient'],
      [503, 'transient'],
    ] as const)('classes HTTP %s as %s', async (status, kind) => {
      registry.failNext = status;
      const error = await failure(rotator.create(credential(), CONTEXT));
      expect(error).toMatchObject({ code: 'REGISTRY_REQUEST_FAILED', kind });
      expect(error.message).toBe(`POST ${registry.url}/api/tokens answered HTTP ${status}`);
    });

    it('fails as transient when nothing answers', async () => {
      const value = credential();
      await registry.stop();
      const error = await failure(rotator.create(value, CONTEXT));
      expect(error).toMatchObject({ code: 'REGISTRY_REQUEST_FAILED', kind: 'transient' });
      expect(error.message).toContain('got no answer');
      registry = await startTokenRegistry(INITIAL);
    });

    it('fails when the answer carries no token', async () => {
      const value = credential({ tokenEndpoint: `${registry.url}/api/empty` });
      const error = await failure(rotator.create(value, CONTEXT));
      expect(error).toMatchObject({ code: 'REGISTRY_REQUEST_FAILED', kind: 'input' });
      expect(error.message).toContain('answered without a token');
    });
  });

  describe('when the secret would travel in clear text', () => {
    it('refuses plain http to a host other than this machine, sending nothing', async () => {
      const value = credential({ tokenEndpoint: 'http://registry.internal.test/api/tokens' });
      const error = await failure(rotator.create(value, CONTEXT));
      expect(error.code).toBe('INSECURE_ENDPOINT');
      expect(registry.requests).toEqual([]);
    });
  });

  describe('when the value is not a registry-token credential', () => {
    it.each([
      ['not JSON', 'S3CRET{'],
      ['no token', JSON.stringify({ registry: 'r', username: 'u', tokenEndpoint: 'https://r/t' })],
      [
        'a number for a token',
        JSON.stringify({ registry: 'r', username: 'u', token: 7, tokenEndpoint: 'https://r/t' }),
      ],
    ])('fails on %s without quoting it', async (_case, value) => {
      const error = await failure(rotator.create(value, CONTEXT));
      expect(error.code).toBe('INVALID_SECRET_VALUE');
      expect(error.message).not.toContain('S3CRET');
    });
  });

  describe('facts', () => {
    it('name the registry, user, token id and expiry, not the token', () => {
      const facts = rotator.facts(
        credential({ tokenId: 'id-9', expiresAt: '2027-01-01T00:00:00Z' }),
      );
      expect(facts).toEqual({
        registry: registry.url.replace('http://', ''),
        username: USERNAME,
        tokenId: 'id-9',
        expiresAt: '2027-01-01T00:00:00Z',
      });
    });
  });
});
