import { join } from 'node:path';
import { DirectoryAnchorStore, verifyAuditTrail } from '../../shared/audit';
import { AUDIT_ANCHOR_STEP } from '../../shared/handlers/anchor-binding';
import { DynamoDbAuditLog } from '../../shared/aws/dynamodb/audit-log';
import { AUDIT_TABLE, auditEvent } from '../support/audit';
import { useDynalite } from '../support/dynalite';
import { useTempDir } from '../support/temp';
import { bindStep } from '../../shared/pipeline/step-binding';

const NOW = new Date('2026-11-30T03:00:00.000Z');

describe('AUDIT_ANCHOR_STEP', () => {
  const dynamo = useDynalite(AUDIT_TABLE, 'audit');
  const dir = useTempDir();
  const setUp = () => {
    const log = new DynamoDbAuditLog({ client: dynamo().client, tableName: dynamo().tableName });
    const anchors = new DirectoryAnchorStore(join(dir(), 'anchors'));
    return {
      log,
      anchors,
      handle: bindStep(AUDIT_ANCHOR_STEP, { log, anchors, clock: () => NOW }),
    };
  };

  describe('when the trail has events', () => {
    it('anchors the head of the newest chain, which then verifies', async () => {
      const { log, anchors, handle } = setUp();
      await log.append([
        auditEvent('a', '2026-11-29T10:00:00Z'),
        auditEvent('b', '2026-11-30T01:00:00Z'),
      ]);
      const head = (await log.head())!;
      const result = await handle({ source: 'aws.scheduler' });
      expect(result).toEqual({
        anchored: true,
        chain: '2026-11-30',
        seq: 1,
        hash: head.hash,
        key: join(anchors.dir, '2026-11-30', '2026-11-30T030000.000Z.json'),
      });
      expect(await verifyAuditTrail(log, anchors)).toMatchObject({ anchors: 1 });
    });
  });

  describe('when the trail is empty', () => {
    it('anchors nothing', async () => {
      const { anchors, handle } = setUp();
      expect(await handle({})).toEqual({ anchored: false });
      expect(await anchors.list()).toEqual([]);
    });
  });

  describe('when invoked again at the same time', () => {
    it('writes the same anchor once', async () => {
      const { log, anchors, handle } = setUp();
      await log.append([auditEvent('a', '2026-11-29T10:00:00Z')]);
      expect(await handle({})).toEqual(await handle({}));
      expect(await anchors.list()).toHaveLength(1);
    });

    it('fails as Clearance.Input when another head was anchored then (an anchor is never overwritten)', async () => {
      const { log, handle } = setUp();
      await log.append([auditEvent('a', '2026-11-29T10:00:00Z')]);
      await handle({});
      await log.append([auditEvent('b', '2026-11-29T11:00:00Z')]);
      await expect(handle({})).rejects.toMatchObject({ name: 'Clearance.Input' });
    });
  });
});
