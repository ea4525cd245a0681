import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { DirectoryAnchorStore, anchorHead } from '../../shared/audit';
import {
  AUDIT_TABLE_ATTRIBUTES,
  AUDIT_TABLE_INDEXES,
  AUDIT_TABLE_KEY_SCHEMA,
  DynamoDbAuditLog,
} from '../../shared/aws/dynamodb/audit-log';
import { startLocalDynamoDb } from '../../shared/local/dynamodb';
import { AuditTamperer, auditEvent } from '../support/audit';
import { clearance } from '../support/cli';
import { DEMO_IMAGE, DEMO_OSV } from '../support/scan-steps';
import { BROKEN_STATES, holdLevelDbLock } from '../support/state-dirs';
import { useTempDir } from '../support/temp';

jest.setTimeout(60_000);

const D1 = '2026-11-29';
const D2 = '2026-11-30';
const OTHER = { repository: 'web/app', digest: `sha256:${'b'.repeat(64)}` };

describe('clearance audit', () => {
  const dir = useTempDir();
  const state = () => join(dir(), 'state');

  /** The local pipeline's tables, open while `work` runs (dynalite over LevelDB: one process). */
  async function withTrail<T>(work: (log: DynamoDbAuditLog, tamper: AuditTamperer) => Promise<T>) {
    const dynamodb = await startLocalDynamoDb(join(state(), 'dynamodb'), [
      {
        name: 'audit',
        keySchema: AUDIT_TABLE_KEY_SCHEMA,
        attributes: AUDIT_TABLE_ATTRIBUTES,
        indexes: AUDIT_TABLE_INDEXES,
      },
    ]);
    try {
      const log = new DynamoDbAuditLog({ client: dynamodb.client, tableName: 'audit' });
      return await work(log, new AuditTamperer(dynamodb.client, 'audit'));
    } finally {
      await dynamodb.close();
    }
  }

  /** Two days of events (chain D1: 3 events and its seal; chain D2: 2 events), anchored. */
  const seed = () =>
    withTrail(async (log) => {
      await log.append([
        auditEvent('a1', `${D1}T10:00:00Z`),
        auditEvent('a2', `${D1}T11:00:00Z`, { image: OTHER, type: 'image.promoted' }),
        auditEvent('a3', `${D1}T12:00:00Z`),
        auditEvent('b1', `${D2}T01:00:00Z`, { image: undefined, type: 'policy.changed' }),
        auditEvent('b2', `${D2}T02:00:00Z`),
      ]);
      const anchors = new DirectoryAnchorStore(join(state(), 'anchors'));
      await anchorHead(log, anchors, () => new Date(`${D2}T03:00:00Z`));
    });

  describe('verify', () => {
    it('prints each chain checked and the anchors, and exits 0', async () => {
      await seed();
      const result = await clearance(['audit', 'verify', '--state-dir', state()]);
      expect(result.stdout).toBe(
        [
          `verifying the local trail in ${state()}`,
          `chain ${D1}: 4 links, 3 events, sealed, next ${D2}: ok`,
          `chain ${D2}: 2 links, 2 events, open: ok`,
          'anchors: 1 checked: ok',
          'verified: 2 chains, 5 events, 1 anchor',
          '',
        ].join('\n'),
      );
      expect(result.code).toBe(0);
    });

    it('checks the chains of a day and later with --since', async () => {
      await seed();
      const result = await clearance(['audit', 'verify', '--state-dir', state(), '--since', D2]);
      expect(result.stdout).not.toContain(`chain ${D1}`);
      expect(result.stdout).toContain('verified: 1 chain, 2 events, 1 anchor');
    });

    it('fails, exit 1, printing the first problem: chain, seq, event and what is wrong', async () => {
      await seed();
      await withTrail(async (_, tamper) => {
        const item = await tamper.item(D1, 2);
        await tamper.edit(D1, 2, { record: { S: item.record!.S!.replace('web/app', 'web/api') } });
        await tamper.delete(D2, 2);
      });
      const result = await clearance(['audit', 'verify', '--state-dir', state()]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        new RegExp(
          `\\nFAILED chain ${D1} seq 2 \\(event a2\\): the record hashes to [0-9a-f]{64}, the link says [0-9a-f]{64}: the event was edited after it was chained \\[HASH_MISMATCH\\]\\n$`,
        ),
      );
    });

    it('reports as JSON with --format json', async () => {
      await seed();
      await withTrail((_, tamper) => tamper.delete(D2, 2));
      const result = await clearance([
        'audit',
        'verify',
        '--state-dir',
        state(),
        '--format',
        'json',
      ]);
      expect(result.code).toBe(1);
      expect(result.json()).toMatchObject({
        chains: [{ chain: D1 }, { chain: D2 }],
        problem: { code: 'ANCHOR_LINK_MISSING', chain: D2, seq: 2 },
      });
    });

    it('fails, exit 2, when there is no local trail, saying how to get one', async () => {
      const result = await clearance(['audit', 'verify', '--state-dir', state()]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /no local audit trail in .*state: run "clearance pipeline run" first/,
      );
    });

    it.each([
      [['--since', '29/11/2026'], /--since "29\/11\/2026": expected a UTC day, YYYY-MM-DD/],
      [
        ['--anchors-bucket', 'anchors'],
        /--anchors-bucket reads the deployed trail: give --table too/,
      ],
      [['--table', 'clearance-audit', '--region', 'eu-west-1'], /needs --anchors-bucket/],
    ])('fails, exit 2, when given %j', async (flags, message) => {
      const result = await clearance(['audit', 'verify', '--state-dir', state(), ...flags]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    });
  });

  describe('query', () => {
    it('lists the events of a digest as JSON, with their places in the chain', async () => {
      await seed();
      const result = await clearance([
        'audit',
        'query',
        '--state-dir',
        state(),
        '--digest',
        OTHER.digest,
      ]);
      expect(result.code).toBe(0);
      expect(result.json<unknown[]>()).toEqual([
        {
          chain: D1,
          seq: 2,
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          event: expect.objectContaining({ id: 'a2' }),
        },
      ]);
    });

    it('lists the events of a repository from a day on as a table', async () => {
      await seed();
      const result = await clearance([
        'audit',
        'query',
        '--state-dir',
        state(),
        '--repository',
        'payments/api',
        '--since',
        D2,
        '--format',
        'table',
      ]);
      expect(result.stdout).toBe(
        [
          'TIME                  TYPE            IMAGE                                   ACTOR                              CHAIN#SEQ',
          `${D2}T02:00:00Z  scan.completed  payments/api:1.4.2@sha256:aaaaaaaaaaaa  arn:aws:iam::123456789012:role/ci  ${D2}#2`,
          '1 event',
          '',
        ].join('\n'),
      );
    });

    it('fails, exit 2, when told no selection', async () => {
      const result = await clearance(['audit', 'query', '--state-dir', state()]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/say which events: --digest, --repository or --since/);
    });
  });

  describe('when the local state cannot be opened', () => {
    const commands = [
      ['verify', []],
      ['query', ['--since', D1]],
    ] as const;

    describe.each(BROKEN_STATES)('when %s', (_, breakState, message) => {
      it.each(commands)(
        'audit %s exits 2 with one line saying what to do',
        async (command, flags) => {
          breakState(state());
          const result = await clearance(['audit', command, '--state-dir', state(), ...flags]);
          expect(result.code).toBe(2);
          expect(result.stdout).toBe('');
          expect(result.stderr).toMatch(message);
          expect(result.stderr.trim().split('\n')).toHaveLength(1);
        },
      );
    });

    describe('when another process holds the tables', () => {
      it.each(commands)(
        'audit %s exits 2 saying another process uses them',
        async (command, flags) => {
          await seed();
          const holder = await holdLevelDbLock(join(state(), 'dynamodb'));
          try {
            const result = await clearance(['audit', command, '--state-dir', state(), ...flags]);
            expect(result.code).toBe(2);
            expect(result.stderr).toMatch(
              /^clearance: the pipeline state in .* cannot be opened: .* are locked; another clearance process/,
            );
            expect(result.stderr.trim().split('\n')).toHaveLength(1);
          } finally {
            await holder.release();
          }
        },
      );
    });
  });

  describe('after a local pipeline run', () => {
    it('verifies the trail the run recorded, against the anchor it wrote', async () => {
      // A copy: SignVerdict attaches the signed verdict into the layout it scans.
      const demo = join(dir(), 'demo-image');
      cpSync(DEMO_IMAGE, demo, { recursive: true });
      const run = await clearance([
        'pipeline',
        'run',
        '--state-dir',
        state(),
        '--osv',
        DEMO_OSV,
        `oci:${demo}:latest`,
      ]);
      expect(run.code).toBe(1);
      const result = await clearance(['audit', 'verify', '--state-dir', state()]);
      expect(result.stdout).toMatch(
        /anchors: 1 checked: ok\nverified: 1 chain, \d+ events, 1 anchor\n$/,
      );
      expect(result.code).toBe(0);
    });
  });
});
