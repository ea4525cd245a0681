import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GENESIS_HASH, linkHash, readLink, verifyTrail } from '../../../shared/audit';
import { DynamoDbAuditLog } from '../../../shared/aws/dynamodb/audit-log';
import { linkItem } from '../../../shared/aws/dynamodb/audit-items';
import { newLink } from '../../../shared/audit';
import { AUDIT_TABLE, auditEvent as event } from '../../support/audit';
import { dynamoDbClient, useDynalite } from '../../support/dynalite';

const DAY = '2026-11-29';
const at = (n: number, day = DAY) =>
  `${day}T10:${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}.000Z`;

describe('DynamoDbAuditLog', () => {
  const dynamo = useDynalite(AUDIT_TABLE, 'audit');
  const newLog = (client = dynamo().client) =>
    new DynamoDbAuditLog({
      client,
      tableName: dynamo().tableName,
      retry: { baseMs: 1, capMs: 20 },
    });
  const items = async () =>
    (await dynamo().client.send(new ScanCommand({ TableName: dynamo().tableName }))).Items ?? [];
  const verify = async (log = newLog(), since?: string) =>
    verifyTrail({ ...(await log.trail(since)), anchors: [] });

  describe('when events are appended', () => {
    it('gives each back as it was given, by id', async () => {
      const log = newLog();
      const tagged = event('scan-1:scan.completed', '2026-11-29T10:00:00.000Z');
      const untagged = event('scan-2:scan.failed', '2026-11-29T10:00:01.000Z', {
        type: 'scan.failed',
        image: { repository: 'payments/api', digest: tagged.image!.digest },
      });
      const imageless = event('sync-9:vulnerability-data.updated', '2026-11-29T10:00:02Z', {
        type: 'vulnerability-data.updated',
        image: undefined,
        versions: {},
      });
      await log.append([tagged, untagged, imageless]);
      expect(await log.event(tagged.id)).toEqual(tagged);
      expect(await log.event(untagged.id)).toEqual(untagged);
      const { image: _, ...withoutImage } = imageless;
      expect(await log.event(imageless.id)).toEqual(withoutImage);
      expect(await log.event('no-such-event')).toBeUndefined();
    });

    it('chains them: seq 1, 2, 3 from 64 zeros, each hash over the previous hash and the canonical event', async () => {
      const log = newLog();
      const events = [event('a', at(1)), event('b', at(2)), event('c', at(3))];
      await log.append(events);
      const { chains, before } = await log.trail();
      expect(before).toBeUndefined();
      expect(chains.map((c) => c.chain)).toEqual([DAY]);
      let prevHash = GENESIS_HASH;
      for (const [i, link] of chains[0]!.links.entries()) {
        expect(link).toMatchObject({ chain: DAY, seq: i + 1, prevHash });
        expect(link.hash).toBe(linkHash(prevHash, link.record));
        expect(readLink(link)).toEqual({ kind: 'event', event: events[i] });
        prevHash = link.hash;
      }
      expect((await log.head())?.hash).toBe(prevHash);
    });

    it('keeps a link per event (CHAIN#<day>/SEQ#<12 digits>) and a lookup item EVENT#<id>', async () => {
      await newLog().append([event('e-1', '2026-11-30T00:30:00.000+01:00')]);
      const all = await items();
      expect(all).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            pk: { S: 'CHAIN#2026-11-29' },
            sk: { S: 'SEQ#000000000001' },
            id: { S: 'e-1' },
            day: { S: '2026-11-29' },
            timeId: { S: '2026-11-29T23:30:00.000Z#e-1' },
            digest: { S: expect.stringMatching(/^sha256:/) },
            repository: { S: 'payments/api' },
          }),
          expect.objectContaining({
            pk: { S: 'EVENT#e-1' },
            sk: { S: 'EVENT' },
            chain: { S: '2026-11-29' },
            seq: { N: '1' },
          }),
          { pk: { S: 'CHAINS' }, sk: { S: 'GENESIS' }, chain: { S: '2026-11-29' } },
        ]),
      );
    });
  });

  describe('when events of later days come', () => {
    it('seals each chain naming the next, whose first link chains from the seal', async () => {
      const log = newLog();
      await log.append([
        event('a', at(1)),
        event('b', at(1, '2026-11-30')),
        event('c', at(1, '2026-12-02')),
      ]);
      const { chains } = await log.trail();
      expect(chains.map((c) => [c.chain, c.links.map((l) => readLink(l).kind)])).toEqual([
        ['2026-11-29', ['event', 'seal']],
        ['2026-11-30', ['event', 'seal']],
        ['2026-12-02', ['event']],
      ]);
      expect(readLink(chains[0]!.links[1]!)).toEqual({
        kind: 'seal',
        seal: { chain: '2026-11-29', next: '2026-11-30' },
      });
      expect(chains[1]!.links[0]!.prevHash).toBe(chains[0]!.links[1]!.hash);
      expect((await verify(log)).problem).toBeUndefined();
    });

    it('puts a late event (older than the newest chain) in the newest chain, which still verifies', async () => {
      const log = newLog();
      await log.append([event('a', at(1)), event('b', at(1, '2026-11-30'))]);
      await newLog().append([event('late', at(2)), event('older', at(1, '2026-11-20'))]);
      const { chains } = await log.trail();
      expect(chains.map((c) => c.links.length)).toEqual([2, 3]);
      expect(readLink(chains[1]!.links[1]!)).toMatchObject({ event: { id: 'late' } });
      expect((await log.eventsOn(DAY)).map((e) => e.id)).toEqual(['a', 'late']);
      expect((await verify(log)).problem).toBeUndefined();
    });
  });

  describe('when many writers append at once', () => {
    it('keeps one gap-free chain that verifies (8 writers × 25 events)', async () => {
      const clients = Array.from({ length: 8 }, () => dynamoDbClient(dynamo().endpoint));
      try {
        await Promise.all(
          clients.map(async (client, w) => {
            const log = newLog(client);
            for (let i = 0; i < 25; i++) await log.append([event(`w${w}-${i}`, at(w * 25 + i))]);
          }),
        );
      } finally {
        clients.forEach((client) => client.destroy());
      }
      const { chains } = await newLog().trail();
      expect(chains).toHaveLength(1);
      expect(chains[0]!.links.map((l) => l.seq)).toEqual(
        Array.from({ length: 200 }, (_, i) => i + 1),
      );
      const report = await verify();
      expect(report.problem).toBeUndefined();
      expect(report.chains).toEqual([{ chain: DAY, links: 200, events: 200 }]);
    });

    it('chains a day change once, whichever writer gets there first', async () => {
      const clients = Array.from({ length: 4 }, () => dynamoDbClient(dynamo().endpoint));
      try {
        await Promise.all(
          clients.map((client, w) =>
            newLog(client).append([
              event(`d1-${w}`, at(w)),
              event(`d2-${w}`, at(w, '2026-11-30')),
              event(`d3-${w}`, at(w, '2026-12-01')),
            ]),
          ),
        );
      } finally {
        clients.forEach((client) => client.destroy());
      }
      const report = await verify();
      expect(report.problem).toBeUndefined();
      expect(report.chains.reduce((n, c) => n + c.events, 0)).toBe(12);
      expect(report.chains.at(-1)?.sealedInto).toBeUndefined();
    });
  });

  describe('when an event id is appended again', () => {
    it('skips it, keeping the first record, whatever its time and details', async () => {
      const log = newLog();
      const first = event('scan-1:scan.completed', at(1));
      await log.append([first]);
      await log.append([
        event('scan-1:scan.completed', at(5), { details: { retried: true } }),
        event('scan-1:verdict.changed', at(5), { type: 'verdict.changed' }),
        event('scan-1:verdict.changed', at(5), { type: 'verdict.changed' }),
      ]);
      expect(await log.event(first.id)).toEqual(first);
      expect((await log.events()).map((e) => e.id)).toEqual([first.id, 'scan-1:verdict.changed']);
    });

    it('records it once when two writers append it at the same moment (10 rounds)', async () => {
      const writers = [dynamoDbClient(dynamo().endpoint), dynamoDbClient(dynamo().endpoint)];
      try {
        for (let round = 0; round < 10; round++)
          await Promise.all(
            writers.map((client, i) =>
              newLog(client).append([event(`race-${round}`, at(round), { actor: `writer-${i}` })]),
            ),
          );
      } finally {
        writers.forEach((client) => client.destroy());
      }
      expect(await newLog().events()).toHaveLength(10);
      expect((await verify()).problem).toBeUndefined();
    });

    it('records it once after a crash between its link and its lookup item', async () => {
      const log = newLog();
      await log.append([event('a', at(1))]);
      // The crash: the link of `b` is written, its EVENT#b item never was.
      const head = (await log.head())!;
      const b = event('b', at(2));
      const link = newLink({ chain: DAY, seq: 2, prevHash: head.hash }, b);
      await dynamo().client.send(
        new PutItemCommand({ TableName: dynamo().tableName, Item: linkItem(link, b) }),
      );
      await log.append([b]);
      expect((await log.events()).map((e) => e.id)).toEqual(['a', 'b']);
      expect(await log.event('b')).toEqual(b);
      // Another writer appending after it gives it its lookup item too.
      await newLog().append([event('c', at(3)), b]);
      expect((await log.events()).map((e) => e.id)).toEqual(['a', 'b', 'c']);
    });
  });

  describe('eventsOn', () => {
    it('lists the events of a UTC day in time order, then by id', async () => {
      const log = newLog();
      await log.append([
        event('day-before', '2026-11-28T23:59:59.999Z'),
        event('b', '2026-11-29T08:00:00.000Z'),
        event('c', '2026-11-29T12:00:00.000Z'),
        event('a', '2026-11-29T12:00:00.000Z'),
        event('late', '2026-11-30T00:30:00+01:00'),
        event('next-day', '2026-11-30T00:00:00.000Z'),
      ]);
      expect((await log.eventsOn('2026-11-29')).map((e) => e.id)).toEqual(['b', 'a', 'c', 'late']);
      expect((await log.eventsOn('2026-11-30')).map((e) => e.id)).toEqual(['next-day']);
      expect(await log.eventsOn('2026-12-01')).toEqual([]);
    });
  });

  describe('query', () => {
    it('lists the events of a digest, of a repository, or from a day on, with their places', async () => {
      const log = newLog();
      const other = { repository: 'web/app', digest: `sha256:${'b'.repeat(64)}` };
      await log.append([
        event('x', at(1)),
        event('y', at(2), { image: other }),
        event('z', at(1, '2026-11-30'), { image: undefined }),
      ]);
      const ids = (found: { event: { id: string } }[]) => found.map((e) => e.event.id);
      expect(ids(await log.query({ digest: other.digest }))).toEqual(['y']);
      expect(ids(await log.query({ repository: 'payments/api' }))).toEqual(['x']);
      expect(ids(await log.query({ since: '2026-11-30' }))).toEqual(['z']);
      expect(ids(await log.query({ since: DAY }))).toEqual(['x', 'y', 'z']);
      expect(ids(await log.query({ repository: 'web/app', since: '2026-11-30' }))).toEqual([]);
      expect((await log.query({ digest: other.digest }))[0]).toMatchObject({ chain: DAY, seq: 2 });
    });
  });

  describe('failures', () => {
    it('fails as a bug, writing nothing of the batch, when an event has no parseable time', async () => {
      const log = newLog();
      await expect(
        log.append([event('good', at(1)), event('bad', 'yesterday')]),
      ).rejects.toMatchObject({
        code: 'INVALID_EVENT',
        kind: 'bug',
      });
      await expect(log.append([event('', at(1))])).rejects.toMatchObject({ code: 'INVALID_EVENT' });
      await expect(
        log.append([event('nan', at(1), { details: { n: Number.NaN } })]),
      ).rejects.toMatchObject({
        code: 'NOT_CANONICALIZABLE',
      });
      expect(await items()).toEqual([]);
    });

    it('fails as transient when other writers keep taking the next link', async () => {
      const client = dynamoDbClient(dynamo().endpoint);
      // Another writer takes every link this one is about to put.
      client.middlewareStack.add(
        (next) => async (args) => {
          const input = args.input as { Item?: Record<string, { S?: string }> };
          if (input.Item?.pk?.S?.startsWith('CHAIN#') === true)
            await dynamo().client.send(
              new PutItemCommand({
                TableName: dynamo().tableName,
                Item: { ...input.Item, record: { S: '{}' } },
              }),
            );
          return next(args);
        },
        { step: 'initialize' },
      );
      try {
        const log = new DynamoDbAuditLog({
          client,
          tableName: dynamo().tableName,
          retry: { attempts: 3, baseMs: 1 },
        });
        await expect(log.append([event('a', at(1))])).rejects.toMatchObject({
          code: 'CHAIN_CONTENDED',
          kind: 'transient',
          message: expect.stringContaining('failed 3 times'),
        });
      } finally {
        client.destroy();
      }
    });

    it('fails as input, naming the table, when the table does not exist', async () => {
      const log = new DynamoDbAuditLog({ client: dynamo().client, tableName: 'no-such-audit' });
      await expect(log.append([event('e', at(1))])).rejects.toMatchObject({
        code: 'AWS_REQUEST_FAILED',
        kind: 'input',
        message: expect.stringContaining('Query on table no-such-audit failed'),
      });
      await expect(log.eventsOn(DAY)).rejects.toMatchObject({
        message: expect.stringMatching(
          /^DynamoDB Query on index byDay of table no-such-audit failed: ResourceNotFoundException/,
        ),
      });
    });
  });
});
