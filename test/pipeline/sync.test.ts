import { join } from 'node:path';
import { DynamoDbVulnerabilityStore } from '../../shared/aws/dynamodb/vulnerability-store';
import { PipelineError } from '../../shared/pipeline/errors';
import { syncVulnerabilityData, type SyncDeps, type SyncTarget } from '../../shared/pipeline/sync';
import { alasSources } from '../../shared/vulndb/alas';
import { VulnDbError } from '../../shared/vulndb/errors';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { alasMirror } from '../support/alas-mirror';
import { useDynalite } from '../support/dynalite';
import { FakeAuditLog, LocalSyncTarget } from '../support/fleet-ports';
import { osvBucket as bucket, type Handler } from '../support/osv-bucket';
import { startServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

const OSV = join(__dirname, '..', 'fixtures', 'osv');
const NOW = new Date('2025-02-05T04:05:06Z');
const FAST_RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 };

describe('syncVulnerabilityData', () => {
  const dir = useTempDir();
  let target: LocalSyncTarget;
  let stopServer: (() => Promise<void>) | undefined;

  beforeEach(() => {
    target = new LocalSyncTarget(LocalStore.open(join(dir(), 'osv'), { create: true }));
  });

  afterEach(async () => {
    target.store.close();
    await stopServer?.();
    stopServer = undefined;
  });

  async function depsFor(handler: Handler, extra: Partial<SyncDeps> = {}): Promise<SyncDeps> {
    const server = await startServer(handler);
    stopServer = server.stop;
    return {
      target,
      clock: () => NOW,
      ecosystems: ['npm', 'PyPI'],
      downloadDir: join(dir(), 'exports'),
      baseUrl: server.url,
      retry: FAST_RETRY,
      ...extra,
    };
  }

  describe('when every export downloads', () => {
    it('upserts every record and records the data version the local store computes itself', async () => {
      const result = await syncVulnerabilityData(await depsFor(bucket([])));
      const own = await target.store.dataVersion();
      expect(target.versions).toEqual([own]);
      expect(result).toEqual({
        dataVersion: own.contentHash,
        records: own.records,
        ecosystems: own.ecosystems,
        newestModified: '2025-02-03T04:05:06Z',
        updatedAt: NOW.toISOString(),
        ageHours: 48,
        downloaded: ['npm', 'PyPI'],
        notModified: [],
        imported: { read: 20, inserted: 12, updated: 1, unchanged: 0, malformed: 7 },
      });
    });

    it('gives the version an import of the same exports gives', async () => {
      const result = await syncVulnerabilityData(await depsFor(bucket([])));
      const other = LocalStore.open(join(dir(), 'other'), { create: true });
      await importOsv(other, [join(OSV, 'all.zip'), join(OSV, 'sync', 'PyPI.zip')], { now: NOW });
      const imported = await other.dataVersion();
      other.close();
      expect(result).toMatchObject({
        dataVersion: imported.contentHash,
        records: imported.records,
        ecosystems: imported.ecosystems,
        newestModified: imported.newestModified,
      });
    });

    it('audits the data update once per data version', async () => {
      const audit = new FakeAuditLog();
      const deps = await depsFor(bucket([]), { audit });
      const result = await syncVulnerabilityData(deps);
      await syncVulnerabilityData(deps);
      expect(audit.events).toEqual([
        {
          id: `${result.dataVersion}:vulnerability-data.updated`,
          type: 'vulnerability-data.updated',
          time: NOW.toISOString(),
          actor: 'schedule',
          details: expect.objectContaining({
            records: result.records,
            downloaded: ['npm', 'PyPI'],
          }) as unknown,
          versions: { dataVersion: result.dataVersion },
        },
      ]);
    });
  });

  describe('when the exports have not changed since the last sync', () => {
    it('asks with their ETags and reads the kept files again, all unchanged, same version', async () => {
      const log: string[] = [];
      const deps = await depsFor(bucket(log));
      const first = await syncVulnerabilityData(deps);
      const second = await syncVulnerabilityData(deps);
      expect(log.slice(2)).toEqual([
        expect.stringMatching(/^npm "[0-9a-f]{40}"$/),
        expect.stringMatching(/^PyPI "/),
      ]);
      expect(second).toMatchObject({
        dataVersion: first.dataVersion,
        downloaded: [],
        notModified: ['npm', 'PyPI'],
        imported: { read: 20, inserted: 0, updated: 0, unchanged: 13 },
      });
    });
  });

  describe('failures', () => {
    it('fails with a transient error when an export cannot be downloaded, after retrying', async () => {
      const log: string[] = [];
      const unavailable = bucket(log, (e) =>
        e === 'PyPI' ? (_q, r) => void r.writeHead(503).end() : undefined,
      );
      const error = await syncVulnerabilityData(await depsFor(unavailable)).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VulnDbError);
      expect(error).toMatchObject({ code: 'VULNDB_DOWNLOAD_FAILED', kind: 'transient' });
      expect(log.filter((l) => l.startsWith('PyPI'))).toHaveLength(2);
      expect(target.versions).toEqual([]);
    });

    it('fails with an input error when an ecosystem has no export', async () => {
      const deps = await depsFor(bucket([]), { ecosystems: ['npm', 'Nonesuch'] });
      await expect(syncVulnerabilityData(deps)).rejects.toMatchObject({
        code: 'VULNDB_DOWNLOAD_FAILED',
        kind: 'input',
      });
    });

    it('fails with an input error when an export is not a zip, recording no version', async () => {
      const corrupt = bucket([], (e) =>
        e === 'PyPI' ? (_q, r) => void r.writeHead(200).end('not a zip') : undefined,
      );
      await expect(syncVulnerabilityData(await depsFor(corrupt))).rejects.toMatchObject({
        code: 'VULNDB_SOURCE_UNREADABLE',
        kind: 'input',
      });
      expect(target.versions).toEqual([]);
    });

    it('fails as a bug when there is no ecosystem to sync, rather than record empty data', async () => {
      const deps = await depsFor(bucket([]), { ecosystems: [] });
      await expect(syncVulnerabilityData(deps)).rejects.toMatchObject({
        code: 'MISCONFIGURED',
        kind: 'bug',
      });
      expect(target.versions).toEqual([]);
    });

    it('fails when the store fails, recording no version', async () => {
      const deps = await depsFor(bucket([]));
      const failing: SyncTarget = {
        ...target,
        upsert: () => Promise.reject(new Error('store down')),
        writeDataVersion: (v) => target.writeDataVersion(v),
      };
      await expect(syncVulnerabilityData({ ...deps, target: failing })).rejects.toThrow(
        'store down',
      );
      expect(target.versions).toEqual([]);
    });
  });

  describe('when the function is about to run out of time', () => {
    it('stops with a transient SYNC_INCOMPLETE, and the retry finishes the job', async () => {
      let left = 62_000;
      const deps = await depsFor(bucket([]), { remainingMs: () => (left -= 500) });
      const error = await syncVulnerabilityData(deps).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PipelineError);
      expect(error).toMatchObject({ code: 'SYNC_INCOMPLETE', kind: 'transient' });
      expect(target.versions).toEqual([]);
      const written = (await target.store.dataVersion()).records;
      expect(written).toBeGreaterThan(0);

      const retried = await syncVulnerabilityData({ ...deps, remainingMs: () => 900_000 });
      expect(retried.imported.unchanged).toBe(written);
      expect(target.versions).toEqual([await target.store.dataVersion()]);
    });
  });
});

describe('syncVulnerabilityData into DynamoDB', () => {
  const dir = useTempDir();
  const dynamo = useDynalite();

  it('upserts into the cloud store, which then answers lookups and gives the version back', async () => {
    const server = await startServer(bucket([]));
    const store = new DynamoDbVulnerabilityStore({
      client: dynamo().client,
      tableName: dynamo().tableName,
    });
    try {
      const result = await syncVulnerabilityData({
        target: store,
        clock: () => NOW,
        ecosystems: ['npm', 'PyPI'],
        downloadDir: join(dir(), 'exports'),
        baseUrl: server.url,
        retry: FAST_RETRY,
        concurrency: 4,
      });
      const version = await store.dataVersion();
      expect(version).toMatchObject({
        contentHash: result.dataVersion,
        records: result.records,
        newestModified: '2025-02-03T04:05:06Z',
      });
      const found = await store.advisoriesFor([
        { ecosystem: 'PyPI', name: 'flask' },
        { ecosystem: 'PyPI', name: 'requests' },
      ]);
      expect(found.get('PyPI\0flask')!.map((a) => a.id)).toEqual(['PYSEC-2025-1']);
      expect(found.get('PyPI\0requests')!.map((a) => a.id)).toEqual(['PYSEC-2023-74']);
    } finally {
      await server.stop();
    }
  });
});

describe('syncVulnerabilityData of Amazon Linux into DynamoDB', () => {
  const dir = useTempDir();
  const dynamo = useDynalite();

  it('imports ALAS through the mirror lists, merged, with a data version over them', async () => {
    const osv = await startServer(bucket([]));
    const mirror = await startServer(alasMirror([]));
    const store = new DynamoDbVulnerabilityStore({
      client: dynamo().client,
      tableName: dynamo().tableName,
    });
    const sync = () =>
      syncVulnerabilityData({
        target: store,
        clock: () => NOW,
        ecosystems: ['npm', 'Amazon Linux:2', 'Amazon Linux:2023'],
        downloadDir: join(dir(), 'exports'),
        baseUrl: osv.url,
        alasBaseUrl: mirror.url,
        retry: FAST_RETRY,
        concurrency: 4,
      });
    try {
      const result = await sync();
      expect(result).toMatchObject({
        downloaded: ['npm', 'Amazon Linux:2', 'Amazon Linux:2023'],
        ecosystems: expect.objectContaining({
          'Amazon Linux:2': 5,
          'Amazon Linux:2023': 3,
        }) as unknown,
      });
      const found = await store.advisoriesFor([
        { ecosystem: 'Amazon Linux:2023', name: 'openssl-perl' },
        { ecosystem: 'Amazon Linux:2', name: 'kernel' },
      ]);
      expect(found.get('Amazon Linux:2023\0openssl-perl')!.map((a) => a.id)).toEqual([
        'ALAS2023-2024-470',
      ]);
      expect(found.get('Amazon Linux:2\0kernel')!.map((a) => a.id)).toEqual([
        'ALAS2-2024-2447',
        'ALAS2KERNEL-5.10-2024-045',
        'ALASKERNEL-5.10-2022-002',
      ]);
      const severities = await store.severitiesByAlias(['CVE-2023-38545']);
      expect(severities.get('CVE-2023-38545')).toEqual([
        {
          id: 'ALAS2023-2024-512',
          severity: { severity: 'CRITICAL', vendor: 'amazon', vendorSeverity: 'critical' },
        },
      ]);
      expect((await store.dataVersion()).contentHash).toBe(result.dataVersion);

      // The same data a local import of the kept files gives: the version covers ALAS.
      const local = LocalStore.open(join(dir(), 'local'), { create: true });
      await importOsv(local, [join(OSV, 'all.zip')], { now: NOW });
      await importOsv(
        local,
        [
          ...(await alasSources(join(dir(), 'exports'), '2')),
          ...(await alasSources(join(dir(), 'exports'), '2023')),
        ],
        { now: NOW },
      );
      expect((await local.dataVersion()).contentHash).toBe(result.dataVersion);
      local.close();

      const again = await sync();
      expect(again).toMatchObject({
        dataVersion: result.dataVersion,
        notModified: ['npm', 'Amazon Linux:2', 'Amazon Linux:2023'],
        imported: { inserted: 0, updated: 0 },
      });
    } finally {
      await osv.stop();
      await mirror.stop();
    }
  });
});
