import { ECRClient, GetAuthorizationTokenCommand, ECRServiceException } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ECR_REFRESH_MARGIN_MS,
  ecrClientsByRegion,
  ecrCredentialProvider,
  parseEcrHost,
} from '../../../shared/aws/ecr/auth';
import { CredentialsUnavailableError } from '../../../shared/registry/errors';

const ecr = mockClient(ECRClient);
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const EXPIRES_AT = new Date('2026-01-01T12:00:00Z');
const token = (password: string) => Buffer.from(`AWS:${password}`).toString('base64');

function answer(password = 'ecr-password', expiresAt: Date | undefined = EXPIRES_AT): void {
  ecr
    .on(GetAuthorizationTokenCommand)
    .resolves({ authorizationData: [{ authorizationToken: token(password), expiresAt }] });
}

function serviceError(name: string): ECRServiceException {
  return new ECRServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: `${name} happened`,
  });
}

describe('parseEcrHost', () => {
  it.each([
    [HOST, { account: '123456789012', region: 'eu-west-1', fips: false }],
    [
      '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com',
      { account: '123456789012', region: 'us-gov-west-1', fips: true },
    ],
    [
      '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
      { account: '123456789012', region: 'cn-north-1', fips: false },
    ],
  ])('reads %s', (host, parsed) => {
    expect(parseEcrHost(host)).toEqual(parsed);
  });

  it.each([
    'docker.io',
    'public.ecr.aws',
    '12345.dkr.ecr.eu-west-1.amazonaws.com',
    `${HOST}.evil.example`,
    '127.0.0.1:5000',
  ])('answers undefined for %s', (host) => {
    expect(parseEcrHost(host)).toBeUndefined();
  });
});

describe('ecrCredentialProvider', () => {
  let regions: string[];
  let now: Date;

  beforeEach(() => {
    ecr.reset();
    regions = [];
    now = new Date('2026-01-01T00:00:00Z');
  });

  const provider = () =>
    ecrCredentialProvider({
      clientFor: (region, fips) => {
        regions.push(fips ? `${region} (fips)` : region);
        return new ECRClient({ region });
      },
      now: () => now,
    });

  describe('when the host is not an ECR registry', () => {
    it('answers nothing without calling ECR', async () => {
      await expect(provider()('registry.example.com')).resolves.toBeUndefined();
      expect(ecr.calls()).toHaveLength(0);
    });
  });

  describe('when the host is an ECR registry', () => {
    it('decodes the token of GetAuthorizationToken into AWS and the password', async () => {
      answer('the-password');

      await expect(provider()(HOST)).resolves.toEqual({
        username: 'AWS',
        password: 'the-password',
        source: 'ECR',
      });
    });

    it('asks ECR in the region of the host, on FIPS endpoints for -fips hosts', async () => {
      answer();
      const credentials = provider();

      await credentials(HOST);
      await credentials('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com');

      expect(regions).toEqual(['eu-west-1', 'us-east-1 (fips)']);
    });

    it('creates one client per region', async () => {
      answer();
      const credentials = provider();

      await credentials(HOST);
      await credentials('210987654321.dkr.ecr.eu-west-1.amazonaws.com');

      expect(regions).toEqual(['eu-west-1']);
    });

    it('asks once for two requests while the token is fresh', async () => {
      answer();
      const credentials = provider();

      await Promise.all([credentials(HOST), credentials(HOST)]);
      await credentials(HOST);

      expect(ecr.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(1);
    });

    it('asks again from 5 minutes before the token expires', async () => {
      answer('first');
      const credentials = provider();
      await credentials(HOST);

      now = new Date(EXPIRES_AT.getTime() - ECR_REFRESH_MARGIN_MS - 1);
      await expect(credentials(HOST)).resolves.toMatchObject({ password: 'first' });

      answer('second');
      now = new Date(EXPIRES_AT.getTime() - ECR_REFRESH_MARGIN_MS);
      await expect(credentials(HOST)).resolves.toMatchObject({ password: 'second' });
      expect(ecr.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(2);
    });

    it('does not cache a token without an expiry', async () => {
      ecr
        .on(GetAuthorizationTokenCommand)
        .resolves({ authorizationData: [{ authorizationToken: token('x') }] });
      const credentials = provider();

      await credentials(HOST);
      await credentials(HOST);

      expect(ecr.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(2);
    });
  });

  it('fails as user input when ECR denies access, and asks again next time', async () => {
    ecr.on(GetAuthorizationTokenCommand).rejectsOnce(serviceError('AccessDeniedException'));
    const credentials = provider();

    const failure = credentials(HOST);

    await expect(failure).rejects.toThrow(CredentialsUnavailableError);
    await expect(failure).rejects.toMatchObject({ kind: 'input', code: 'CREDENTIALS_UNAVAILABLE' });
    await expect(failure).rejects.toThrow(
      `cannot get credentials for registry ${HOST}: GetAuthorizationToken in eu-west-1 failed: AccessDeniedException: AccessDeniedException happened`,
    );
    answer();
    await expect(credentials(HOST)).resolves.toMatchObject({ username: 'AWS' });
  });

  it('fails as transient when ECR throttles', async () => {
    ecr.on(GetAuthorizationTokenCommand).rejects(serviceError('ThrottlingException'));

    await expect(provider()(HOST)).rejects.toMatchObject({ kind: 'transient' });
  });

  it('fails when the token is not base64 of AWS:<password>, without quoting it', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: 'bm8tY29sb24', expiresAt: EXPIRES_AT }],
    });

    const failure = provider()(HOST);

    await expect(failure).rejects.toThrow(
      'expected an authorization token of base64 "AWS:<password>"',
    );
    await expect(failure).rejects.not.toThrow(/bm8tY29sb24|no-colon/);
  });
});

describe('ecrClientsByRegion', () => {
  it('makes one client per region and endpoint kind, wrapping each once', async () => {
    const wrapped: ECRClient[] = [];
    const clientFor = ecrClientsByRegion((client) => {
      wrapped.push(client);
      return client;
    });
    const ireland = clientFor('eu-west-1', false);

    expect(clientFor('eu-west-1', false)).toBe(ireland);
    expect(clientFor('eu-west-1', true)).not.toBe(ireland);
    expect(clientFor('us-east-1', false)).not.toBe(ireland);
    expect(wrapped).toHaveLength(3);
    expect(await ireland.config.region()).toBe('eu-west-1');
    expect(await clientFor('eu-west-1', true).config.useFipsEndpoint()).toBe(true);
  });
});
