import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DirectoryAnchorStore,
  anchorHead,
  describeProblem,
  newLink,
  verifyAuditTrail,
  type AuditProblem,
} from '../../shared/audit';
import { DynamoDbAuditLog } from '../../shared/aws/dynamodb/audit-log';
import { linkItem } from '../../shared/aws/dynamodb/audit-items';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { AUDIT_TABLE, AuditTamperer, auditEvent } from '../support/audit';
import { useDynalite } from '../support/dynalite';
import { useTempDir } from '../support/temp';

const D1 = '2026-11-29';
const D2 = '2026-11-30';
const at = (day: string, n: number) => `${day}T10:00:0${n}.000Z`;

/*
 * A trail of two days: chain D1 holds a1…a5 and the seal naming D2 (seq 6), chain D2 holds
 * b1…b3; the head (D2 seq 3) is anchored. Each test tampers with it as someone with more rights
 * than the writers could, and expects verification to find it, there.
 */
describe('verifyAuditTrail', () => {
  const dynamo = useDynalite(AUDIT_TABLE, 'audit');
  const dir = useTempDir();
  let log: DynamoDbAuditLog;
  let anchors: DirectoryAnchorStore;
  let tamper: AuditTamperer;

  beforeEach(async () => {
    log = new DynamoDbAuditLog({ client: dynamo().client, tableName: dynamo().tableName });
    anchors = new DirectoryAnchorStore(join(dir(), 'anchors'));
    tamper = new AuditTamperer(dynamo().client, dynamo().tableName);
    await log.append([1, 2, 3, 4, 5].map((n) => auditEvent(`a${n}`, at(D1, n))));
    await log.append([1, 2, 3].map((n) => auditEvent(`b${n}`, at(D2, n))));
    await anchorHead(log, anchors, () => new Date(`${D2}T11:00:00.000Z`));
  });

  const problem = async (since?: string): Promise<AuditProblem | undefined> =>
    (await verifyAuditTrail(log, anchors, since)).problem;

  describe('when nothing was changed', () => {
    it('verifies every chain, every join and the anchor', async () => {
      expect(await verifyAuditTrail(log, anchors)).toEqual({
        chains: [
          { chain: D1, links: 6, events: 5, sealedInto: D2 },
          { chain: D2, links: 3, events: 3 },
        ],
        anchors: 1,
      });
    });

    it('verifies from a day on, joined to the chain before it', async () => {
      expect(await verifyAuditTrail(log, anchors, D2)).toEqual({
        chains: [{ chain: D2, links: 3, events: 3 }],
        anchors: 1,
      });
    });
  });

  describe('when an event was edited', () => {
    it('finds that its record no longer hashes to its link, at its seq', async () => {
      const item = await tamper.item(D1, 3);
      const record = item.record!.S!.replace('"decision":"fail"', '"decision":"pass"');
      await tamper.edit(D1, 3, { record: { S: record } });
      expect(await problem()).toMatchObject({
        code: 'HASH_MISMATCH',
        chain: D1,
        seq: 3,
        eventId: 'a3',
      });
    });

    it('finds a changed lookup attribute (an event hidden from a digest query)', async () => {
      await tamper.edit(D1, 2, { digest: { S: `sha256:${'f'.repeat(64)}` } });
      expect(await problem()).toMatchObject({ code: 'INDEX_MISMATCH', chain: D1, seq: 2 });
    });

    it('finds an edit re-hashed through the end of the chain by the anchor', async () => {
      await tamper.rewrite(D2, 2, 3, auditEvent('b2', at(D2, 2), { actor: 'someone-else' }));
      expect(await problem()).toMatchObject({
        code: 'ANCHOR_MISMATCH',
        chain: D2,
        seq: 3,
        eventId: 'b3',
        anchor: expect.stringContaining(`${D2}/${D2}T110000.000Z.json`),
      });
    });
  });

  describe('when an event was deleted', () => {
    it('finds the gap in the sequence, at the missing seq', async () => {
      await tamper.delete(D1, 3);
      const found = await problem();
      expect(found).toMatchObject({ code: 'SEQ_GAP', chain: D1, seq: 3 });
      expect(describeProblem(found!)).toBe(
        `chain ${D1} seq 3: expected link 3, found link 4 next: link 3 is missing (deleted) [SEQ_GAP]`,
      );
    });

    it('finds the deleted head of the open chain by the anchor', async () => {
      await tamper.delete(D2, 3);
      expect(await problem()).toMatchObject({ code: 'ANCHOR_LINK_MISSING', chain: D2, seq: 3 });
    });

    it('finds the first chain deleted whole: the next one does not chain from 64 zeros', async () => {
      for (let seq = 1; seq <= 6; seq++) await tamper.delete(D1, seq);
      expect(await problem()).toMatchObject({ code: 'GENESIS_MISMATCH', chain: D2, seq: 1 });
    });
  });

  describe('when two events were swapped', () => {
    it.each(['all', 'records'] as const)(
      'finds the pair reordered, at the first of the two (%s swapped)',
      async (what) => {
        await tamper.swap(D1, 2, 3, what);
        expect(await problem()).toMatchObject({ code: 'REORDERED', chain: D1, seq: 2 });
      },
    );
  });

  describe('when the link between two days is broken', () => {
    it('finds a first link that does not chain from the previous chain’s seal', async () => {
      await tamper.rewrite(D2, 1, 3, auditEvent('b1', at(D2, 1)));
      const first = await tamper.item(D2, 1);
      const forged = newLink(
        { chain: D2, seq: 1, prevHash: 'e'.repeat(64) },
        auditEvent('b1', at(D2, 1)),
      );
      await tamper.edit(D2, 1, { prevHash: { S: forged.prevHash }, hash: first.hash! });
      expect(await problem()).toMatchObject({ code: 'CHAIN_LINK_MISMATCH', chain: D2, seq: 1 });
    });

    it('finds the seal of the previous chain deleted', async () => {
      await tamper.delete(D1, 6);
      expect(await problem()).toMatchObject({
        code: 'CHAIN_NOT_SEALED',
        chain: D2,
        seq: 1,
        eventId: 'b1',
      });
    });

    it('finds it when verifying from the later day on', async () => {
      await tamper.delete(D1, 6);
      expect(await problem(D2)).toMatchObject({ code: 'CHAIN_NOT_SEALED', chain: D2, seq: 1 });
    });
  });

  describe('when an anchor was forged', () => {
    it('finds an anchor whose hash is not its link’s', async () => {
      await anchors.put({ chain: D2, seq: 2, hash: 'b'.repeat(64), time: `${D2}T12:00:00.000Z` });
      expect(await problem()).toMatchObject({
        code: 'ANCHOR_MISMATCH',
        chain: D2,
        seq: 2,
        eventId: 'b2',
      });
    });

    it('finds an anchor that is not one', async () => {
      mkdirSync(join(anchors.dir, D2), { recursive: true });
      writeFileSync(join(anchors.dir, D2, 'forged.json'), '{"chain":"2026-11-30","seq":0}');
      expect(await problem()).toMatchObject({ code: 'UNREADABLE_ANCHOR', chain: D2 });
    });
  });

  it('finds an event recorded twice (a link appended past the writers)', async () => {
    const head = (await log.head())!;
    const again = auditEvent('a1', at(D2, 4));
    const link = newLink({ chain: D2, seq: 4, prevHash: head.hash }, again);
    await dynamo().client.send(
      new PutItemCommand({ TableName: dynamo().tableName, Item: linkItem(link, again) }),
    );
    expect(await problem()).toMatchObject({ code: 'DUPLICATE_EVENT', chain: D2, seq: 4 });
  });
});
