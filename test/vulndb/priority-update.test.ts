import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LocalStore } from '../../shared/vulndb/local-store';
import { updateOsv } from '../../shared/vulndb/update';
import { startServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

const PRIORITY = join(__dirname, '..', 'fixtures', 'priority');
const FILES: Record<string, Buffer> = {
  '/feeds/known_exploited_vulnerabilities.json': readFileSync(
    join(PRIORITY, 'known_exploited_vulnerabilities.json'),
  ),
  '/epss_scores-current.csv.gz': readFileSync(join(PRIORITY, 'epss_scores-2026-11-22.csv.gz')),
};
const FAST_RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 };

/** Serves the KEV feed and the EPSS file as CISA's and FIRST's servers do, with ETags. */
const feeds =
  (log: string[]) =>
  (request: IncomingMessage, response: ServerResponse): void => {
    const path = request.url ?? '';
    log.push(`${request.method} ${path} ${request.headers['if-none-match'] ?? ''}`.trim());
    const body = FILES[path];
    if (body === undefined) return void response.writeHead(404).end();
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (request.headers['if-none-match'] === etag) return void response.writeHead(304).end();
    response.writeHead(200, { etag, 'content-length': body.length }).end(body);
  };

describe('updateOsv, for the KEV and EPSS sources', () => {
  const dir = useTempDir();

  async function update(log: string[], ecosystems = ['KEV', 'EPSS'], path = '/feeds') {
    const server = await startServer(feeds(log));
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    try {
      const report = await updateOsv(store, {
        kevUrl: `${server.url}${path}/known_exploited_vulnerabilities.json`,
        epssUrl: `${server.url}/epss_scores-current.csv.gz`,
        ecosystems,
        downloadDir: join(dir(), 'db', 'exports'),
        retry: FAST_RETRY,
      });
      return { report, version: await store.dataVersion() };
    } finally {
      store.close();
      await server.stop();
    }
  }

  it('downloads both, imports them, and the next time asks with their ETags', async () => {
    const log: string[] = [];
    const first = await update(log);
    expect(first.report).toMatchObject({
      downloaded: ['KEV', 'EPSS'],
      imported: { read: 0 },
      priority: {
        kev: { catalogVersion: '2026.11.20', count: 3 },
        epss: { scoreDate: '2026-11-22', count: 6 },
      },
    });
    expect(first.version).toMatchObject({ kev: { count: 3 }, epss: { count: 6 } });
    const second = await update(log);
    expect(second.report).toMatchObject({
      downloaded: [],
      notModified: ['KEV', 'EPSS'],
      priority: {},
    });
    expect(second.version.contentHash).toBe(first.version.contentHash);
    expect(log[2]).toMatch(/^GET \/feeds\/known_exploited_vulnerabilities\.json "[0-9a-f]{40}"$/);
  });

  it('fails when the feed is not there, importing nothing', async () => {
    const error = await update([], ['KEV'], '/elsewhere').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VULNDB_DOWNLOAD_FAILED', kind: 'input' });
  });
});
