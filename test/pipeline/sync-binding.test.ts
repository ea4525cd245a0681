import { join } from 'node:path';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DATA_AGE_METRIC, bindSync } from '../../shared/pipeline/sync-binding';
import { LocalStore } from '../../shared/vulndb/local-store';
import { LocalSyncTarget } from '../support/fleet-ports';
import { alasMirror, defaultRepos } from '../support/alas-mirror';
import { osvBucket, type Handler } from '../support/osv-bucket';
import { startServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

const NOW = new Date('2025-02-05T04:05:06Z');

describe('bindSync', () => {
  const dir = useTempDir();
  let target: LocalSyncTarget;
  let stop: (() => Promise<void>) | undefined;

  beforeEach(() => {
    target = new LocalSyncTarget(LocalStore.open(join(dir(), 'osv'), { create: true }));
  });

  afterEach(async () => {
    target.store.close();
    await stop?.();
    stop = undefined;
  });

  async function setUp(bucket: Handler = osvBucket([])) {
    const server = await startServer(bucket);
    stop = server.stop;
    const metrics = new Metrics({ namespace: 'Clearance', serviceName: 'sync-vulnerability-data' });
    const handle = bindSync({
      target,
      clock: () => NOW,
      ecosystems: ['npm', 'PyPI'],
      downloadDir: join(dir(), 'exports'),
      baseUrl: server.url,
      retry: { attempts: 1 },
      metrics,
    });
    return { handle, metrics };
  }

  it('syncs, returns the data version and emits the data age in hours as a Clearance metric', async () => {
    const { handle, metrics } = await setUp();
    const result = await handle({ source: 'schedule' });
    expect(result).toMatchObject({
      dataVersion: (await target.store.dataVersion()).contentHash,
      newestModified: '2025-02-03T04:05:06Z',
      ageHours: 48,
    });
    const emf = metrics.serializeMetrics();
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Clearance',
      Metrics: [{ Name: DATA_AGE_METRIC, Unit: 'None' }],
    });
    expect(emf[DATA_AGE_METRIC]).toBe(48);
  });

  it('fails as Clearance.Transient when an export cannot be downloaded', async () => {
    const { handle } = await setUp(osvBucket([], () => (_q, r) => void r.writeHead(503).end()));
    await expect(handle({})).rejects.toMatchObject({
      name: 'Clearance.Transient',
      message: expect.stringMatching(/^VULNDB_DOWNLOAD_FAILED: /) as unknown,
    });
  });

  it('fails as Clearance.Input when an export is corrupt', async () => {
    const { handle } = await setUp(
      osvBucket([], () => (_q, r) => void r.writeHead(200).end('PK?')),
    );
    await expect(handle({})).rejects.toMatchObject({ name: 'Clearance.Input' });
  });

  it('fails as Clearance.Transient when the invocation is about to time out, emitting no age', async () => {
    const { handle, metrics } = await setUp();
    await expect(handle({}, () => 1_000)).rejects.toMatchObject({
      name: 'Clearance.Transient',
      message: expect.stringMatching(/^SYNC_INCOMPLETE: /) as unknown,
    });
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('fails as Clearance.Input when the input is not an object', async () => {
    const { handle } = await setUp();
    await expect(handle('now')).rejects.toMatchObject({ name: 'Clearance.Input' });
  });

  describe('when Amazon Linux is configured', () => {
    async function setUpAlas(mirror: Handler) {
      const server = await startServer(mirror);
      stop = server.stop;
      const metrics = new Metrics({
        namespace: 'Clearance',
        serviceName: 'sync-vulnerability-data',
      });
      const handle = bindSync({
        target,
        clock: () => NOW,
        ecosystems: ['Amazon Linux:2023'],
        downloadDir: join(dir(), 'exports'),
        alasBaseUrl: server.url,
        retry: { attempts: 1 },
        metrics,
      });
      return { handle, metrics };
    }

    it('syncs ALAS from the mirror lists and emits the data age', async () => {
      const { handle, metrics } = await setUpAlas(alasMirror([]));
      const result = await handle({});
      expect(result).toMatchObject({
        records: 3,
        ecosystems: { 'Amazon Linux:2023': 3 },
        newestModified: '2024-02-01T01:02:00Z',
      });
      expect(metrics.serializeMetrics()[DATA_AGE_METRIC]).toBe(result.ageHours);
    });

    it('fails as Clearance.Transient when an updateinfo does not match its repomd checksum', async () => {
      const corrupt = alasMirror([], defaultRepos(), (path) =>
        path.includes('x86_64/repodata/') && path.endsWith('-updateinfo.xml.gz')
          ? (_q, r) => void r.end(Buffer.alloc(defaultRepos()['2023/core/x86_64']!.length))
          : undefined,
      );
      const { handle } = await setUpAlas(corrupt);
      await expect(handle({})).rejects.toMatchObject({
        name: 'Clearance.Transient',
        message: expect.stringMatching(
          /^VULNDB_DOWNLOAD_FAILED: .*does not match its sha256/,
        ) as unknown,
      });
    });
  });
});
