import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbVulnerabilityStore } from '../../shared/aws/dynamodb/vulnerability-store';
import { syncVulnerabilityData, type SyncDeps } from '../../shared/pipeline/sync';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { importPriority, splitPrioritySources } from '../../shared/vulndb/priority-import';
import { useDynalite } from '../support/dynalite';
import { osvBucket, type Handler } from '../support/osv-bucket';
import { startServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

const PRIORITY = join(__dirname, '..', 'fixtures', 'priority');
const KEV_FILE = join(PRIORITY, 'known_exploited_vulnerabilities.json');
const EPSS_FILE = join(PRIORITY, 'epss_scores-2026-11-22.csv');
const NOW = new Date('2026-11-23T00:00:00Z');

/** OSV's bucket, and the KEV and EPSS feeds at `/kev.json` and `/epss.csv` (`epss` replaceable). */
function feeds(files: { epss: string }): Handler {
  const bucket = osvBucket([]);
  return (request, response) => {
    const body =
      request.url === '/kev.json'
        ? readFileSync(KEV_FILE)
        : request.url === '/epss.csv'
          ? Buffer.from(files.epss)
          : undefined;
    if (body === undefined) return bucket(request, response);
    response.writeHead(200, { etag: `"${body.length}-${body[body.length - 2]}"` }).end(body);
  };
}

describe('syncVulnerabilityData, with KEV and EPSS', () => {
  const dynamo = useDynalite();
  const dir = useTempDir();
  const files = { epss: readFileSync(EPSS_FILE, 'utf8') };
  let stop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  async function sync(store: DynamoDbVulnerabilityStore) {
    const server = await startServer(feeds(files));
    stop = server.stop;
    const deps: SyncDeps = {
      target: store,
      clock: () => NOW,
      ecosystems: ['npm', 'KEV', 'EPSS'],
      downloadDir: join(dir(), 'exports'),
      baseUrl: server.url,
      kevUrl: `${server.url}/kev.json`,
      epssUrl: `${server.url}/epss.csv`,
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    };
    const result = await syncVulnerabilityData(deps);
    await server.stop();
    stop = undefined;
    return result;
  }
  const newStore = () =>
    new DynamoDbVulnerabilityStore({ client: dynamo().client, tableName: dynamo().tableName });

  it('stores both, looks CVEs up in them, and joins their versions to the data version', async () => {
    const store = newStore();
    const result = await sync(store);
    expect(result.priority).toEqual({
      kev: { catalogVersion: '2026.11.20', dateReleased: '2026-11-20T18:01:33.0000Z', count: 3 },
      epss: { scoreDate: '2026-11-22', modelVersion: 'v2025.03.14', count: 6 },
    });
    const lookup = await store.priorityFor(['CVE-2021-44228', 'CVE-2023-5363', 'CVE-1999-0001']);
    expect([...lookup.kev!.keys()]).toEqual(['CVE-2021-44228']);
    expect(lookup.kev!.get('CVE-2021-44228')).toMatchObject({
      knownRansomwareCampaignUse: 'Known',
    });
    expect(lookup.epss!.get('CVE-2023-5363')).toEqual({
      score: 0.00434,
      percentile: 0.61812,
      date: '2026-11-22',
    });
    expect(lookup.epss!.has('CVE-1999-0001')).toBe(false);

    const local = LocalStore.open(join(dir(), 'local'), { create: true });
    try {
      const { priority, rest } = await splitPrioritySources([
        join(dir(), 'exports', 'npm.zip'),
        KEV_FILE,
        EPSS_FILE,
      ]);
      await importOsv(local, rest, { now: NOW });
      await importPriority(local, priority, { now: NOW });
      expect((await store.dataVersion()).contentHash).toBe((await local.dataVersion()).contentHash);
      expect(result.dataVersion).toBe((await local.dataVersion()).contentHash);
    } finally {
      local.close();
    }
  });

  it('replaces the EPSS scores of a new day, and deletes the old day', async () => {
    const store = newStore();
    await sync(store);
    files.epss = files.epss
      .replace('score_date:2026-11-22', 'score_date:2026-11-23')
      .replace('CVE-2023-5363,0.00434', 'CVE-2023-5363,0.00812');
    const second = await sync(store);
    expect(second.priority?.epss).toMatchObject({ scoreDate: '2026-11-23' });
    const lookup = await store.priorityFor(['CVE-2023-5363']);
    expect(lookup.epss!.get('CVE-2023-5363')).toMatchObject({ score: 0.00812, date: '2026-11-23' });
    const old = await dynamo().client.send(
      new GetItemCommand({
        TableName: dynamo().tableName,
        Key: { pk: { S: 'PRIO#epss#2026-11-22#0' }, sk: { S: 'ROWS' } },
      }),
    );
    expect(old.Item).toBeUndefined();
  });

  it('gives no priority data (null sources) before a sync names any', async () => {
    expect(await newStore().priorityFor(['CVE-2021-44228'])).toEqual({ kev: null, epss: null });
  });
});
