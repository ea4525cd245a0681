import {
  ListSecretsCommand,
  SecretsManagerClient,
  SecretsManagerServiceException,
  type SecretListEntry,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager/secret-store';
import {
  hygieneFindings,
  parseHygieneSettings,
  secretHygiene,
  type HygieneSettings,
} from '../../shared/rotation';
import { FakeAuditLog } from '../support/fleet-ports';

const sm = mockClient(SecretsManagerClient);
const NOW = new Date('2026-06-30T03:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const arn = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;
const CMK = 'arn:aws:kms:eu-west-1:123456789012:key/1111-2222';

function entry(name: string, fields: Partial<SecretListEntry>): SecretListEntry {
  return { ARN: arn(name), Name: name, KmsKeyId: CMK, RotationEnabled: true, ...fields };
}

/** Three pages: a healthy secret, and one of each finding (the last with two). */
const PAGES: SecretListEntry[][] = [
  [
    entry('prod/ok', { LastRotatedDate: ago(10) }),
    entry('prod/manual', { RotationEnabled: false, LastChangedDate: ago(5) }),
  ],
  [entry('prod/stale', { LastRotatedDate: ago(120), LastChangedDate: ago(1) })],
  [
    entry('prod/default-key', { KmsKeyId: undefined, LastRotatedDate: ago(3) }),
    entry('prod/old-alias', {
      KmsKeyId: 'alias/aws/secretsmanager',
      RotationEnabled: false,
      CreatedDate: ago(400),
    }),
  ],
];

function servePages(): void {
  sm.on(ListSecretsCommand).callsFake((input: { NextToken?: string }) => {
    const index = input.NextToken === undefined ? 0 : Number(input.NextToken);
    return {
      SecretList: PAGES[index],
      NextToken: index + 1 < PAGES.length ? String(index + 1) : undefined,
    };
  });
}

const SETTINGS: HygieneSettings = {
  filter: { namePrefix: 'prod/', tagKey: 'team' },
  maxAgeDays: 90,
};
const lister = () =>
  new SecretsManagerStore({ client: new SecretsManagerClient({ region: 'eu-west-1' }) });

describe('secretHygiene', () => {
  beforeEach(() => {
    sm.reset();
  });

  describe('when the account has secrets on several pages', () => {
    it('reads every page, with the configured filters', async () => {
      servePages();
      const report = await secretHygiene({ lister: lister(), settings: SETTINGS })(
        'nightly-1',
        NOW,
      );
      expect(report.checked).toBe(5);
      const calls = sm.commandCalls(ListSecretsCommand).map((c) => c.args[0].input);
      expect(calls.map((c) => c.NextToken)).toEqual([undefined, '1', '2']);
      expect(calls[0]!.Filters).toEqual([
        { Key: 'tag-key', Values: ['team'] },
        { Key: 'name', Values: ['prod/'] },
      ]);
    });

    it('reports rotation off, rotation overdue and the AWS managed key, by secret name', async () => {
      servePages();
      const report = await secretHygiene({ lister: lister(), settings: SETTINGS })(
        'nightly-1',
        NOW,
      );
      expect(report.findings.map((f) => [f.secretName, f.finding, f.detail])).toEqual([
        [
          'prod/default-key',
          'aws-managed-key',
          'encrypted with the AWS managed key aws/secretsmanager',
        ],
        ['prod/manual', 'rotation-disabled', 'rotation is not enabled'],
        [
          'prod/old-alias',
          'aws-managed-key',
          'encrypted with the AWS managed key aws/secretsmanager',
        ],
        ['prod/old-alias', 'rotation-disabled', 'rotation is not enabled'],
        [
          'prod/old-alias',
          'rotation-overdue',
          'last changed 2025-05-26 (400 days ago; expected within 90)',
        ],
        [
          'prod/stale',
          'rotation-overdue',
          'last rotated 2026-03-02 (120 days ago; expected within 90)',
        ],
      ]);
    });

    it('records one secret.rotated event per finding, once per run however often it runs', async () => {
      servePages();
      const audit = new FakeAuditLog();
      const check = secretHygiene({ lister: lister(), settings: SETTINGS, audit });
      await check('nightly-1', NOW);
      await check('nightly-1', NOW);
      expect(audit.events).toHaveLength(6);
      expect(audit.events[5]).toEqual({
        id: `fleet-nightly-1#${arn('prod/stale')}#rotation-overdue:secret.rotated`,
        type: 'secret.rotated',
        time: NOW.toISOString(),
        actor: 'schedule',
        details: {
          outcome: 'hygiene-finding',
          finding: 'rotation-overdue',
          detail: 'last rotated 2026-03-02 (120 days ago; expected within 90)',
          secretArn: arn('prod/stale'),
          secretName: 'prod/stale',
          runId: 'nightly-1',
        },
        versions: {},
      });
    });
  });

  describe('when no filter is configured', () => {
    it('lists every secret of the account', async () => {
      sm.on(ListSecretsCommand).resolves({ SecretList: [] });
      const report = await secretHygiene({
        lister: lister(),
        settings: { filter: {}, maxAgeDays: 30 },
      })('r', NOW);
      expect(report).toEqual({ checked: 0, maxAgeDays: 30, findings: [] });
      expect(sm.commandCalls(ListSecretsCommand)[0]!.args[0].input.Filters).toBeUndefined();
    });
  });

  describe('when the secrets cannot be listed', () => {
    const failing = (name: string, status: number) =>
      new SecretsManagerServiceException({
        name,
        $fault: status >= 500 ? 'server' : 'client',
        $metadata: { httpStatusCode: status },
        message: `${name} happened`,
      });

    it('reports a denied listing in the report, not as a failed run', async () => {
      sm.on(ListSecretsCommand).rejects(failing('AccessDeniedException', 400));
      const report = await secretHygiene({ lister: lister(), settings: SETTINGS })('r', NOW);
      expect(report.findings).toEqual([]);
      expect(report.error).toContain(
        'ListSecrets on the account failed: AccessDeniedException (HTTP 400)',
      );
    });

    it('fails on throttling, so that the step is retried', async () => {
      sm.on(ListSecretsCommand).rejects(failing('ThrottlingException', 400));
      await expect(
        secretHygiene({ lister: lister(), settings: SETTINGS })('r', NOW),
      ).rejects.toMatchObject({ kind: 'transient' });
    });
  });
});

describe('hygieneFindings', () => {
  it('reports a secret rotated exactly maxAgeDays ago as in time', () => {
    const secret = {
      arn: arn('s'),
      name: 's',
      rotationEnabled: true,
      kmsKeyId: CMK,
      lastRotatedDate: ago(90),
    };
    expect(hygieneFindings([secret], { maxAgeDays: 90 }, NOW)).toEqual([]);
  });

  it('accepts a customer-managed key named by its own alias', () => {
    const secret = {
      arn: arn('s'),
      name: 's',
      rotationEnabled: true,
      kmsKeyId: 'alias/team-secrets',
    };
    expect(hygieneFindings([secret], { maxAgeDays: 90 }, NOW)).toEqual([]);
  });
});

describe('parseHygieneSettings', () => {
  it('fills in the defaults: every secret, 90 days', () => {
    expect(parseHygieneSettings('{}', 'CLEARANCE_SECRET_HYGIENE')).toEqual({
      filter: {},
      maxAgeDays: 90,
    });
  });

  it.each([
    ['not JSON', '{', 'expected JSON'],
    ['a zero age', '{"maxAgeDays": 0}', 'maxAgeDays'],
    ['an unknown filter', '{"filter": {"prefix": "x"}}', 'filter'],
  ])('fails on %s, naming the variable', (_case, json, where) => {
    expect(() => parseHygieneSettings(json, 'CLEARANCE_SECRET_HYGIENE')).toThrow(
      `CLEARANCE_SECRET_HYGIENE`,
    );
    expect(() => parseHygieneSettings(json, 'CLEARANCE_SECRET_HYGIENE')).toThrow(where);
  });
});
