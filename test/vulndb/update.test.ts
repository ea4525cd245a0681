import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LocalStore } from '../../shared/vulndb/local-store';
import { updateOsv } from '../../shared/vulndb/update';
import { alasMirror, defaultRepos } from '../support/alas-mirror';
import { rejection } from '../support/read';
import { startServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

const EXPORT = readFileSync(join(__dirname, '..', 'fixtures', 'osv', 'all.zip'));
const MD5 = createHash('md5').update(EXPORT).digest('base64');
const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Serves `/<ecosystem>/all.zip` as OSV's bucket does, with ETags and x-goog-hash. */
const osvBucket =
  (log: string[], override?: (path: string, count: number) => Handler | undefined): Handler =>
  (request, response) => {
    const path = decodeURIComponent(request.url ?? '');
    log.push(`${request.method} ${path} ${request.headers['if-none-match'] ?? ''}`.trim());
    const special = override?.(path, log.filter((l) => l.includes(path)).length);
    if (special) return special(request, response);
    if (!/^\/(npm|PyPI|Rocky Linux)\/all\.zip$/.test(path)) {
      response.writeHead(404).end();
      return;
    }
    const etag = `"${createHash('sha1').update(EXPORT).digest('hex')}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304).end();
      return;
    }
    response.writeHead(200, {
      etag,
      'content-length': EXPORT.length,
      'x-goog-hash': `crc32c=AAAAAA==,md5=${MD5}`,
    });
    response.end(EXPORT);
  };

describe('updateOsv', () => {
  const dir = useTempDir();

  async function update(handler: Handler, ecosystems: string[]) {
    const server = await startServer(handler);
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    try {
      return await updateOsv(store, {
        baseUrl: server.url,
        ecosystems,
        downloadDir: join(dir(), 'db', 'exports'),
        retry: FAST_RETRY,
      });
    } finally {
      store.close();
      await server.stop();
    }
  }

  it('downloads each export, imports it, and the next time asks with its ETag', async () => {
    const log: string[] = [];
    const first = await update(osvBucket(log), ['npm', 'Rocky Linux']);
    expect(first).toMatchObject({
      downloaded: ['npm', 'Rocky Linux'],
      notModified: [],
      imported: { read: 34, inserted: 10, unchanged: 10, malformed: 14 },
    });
    const second = await update(osvBucket(log), ['npm', 'Rocky Linux']);
    expect(second).toMatchObject({
      downloaded: [],
      notModified: ['npm', 'Rocky Linux'],
      imported: { read: 0 },
    });
    expect(log[2]).toMatch(/^GET \/npm\/all\.zip "[0-9a-f]{40}"$/);
  });

  it('retries a 503 and a dropped connection', async () => {
    const log: string[] = [];
    const flaky = osvBucket(log, (_path, count) => {
      if (count === 1) return (_q, r) => void r.writeHead(503, { 'retry-after': '0' }).end();
      if (count === 2) return (_q, r) => void r.destroy();
      return undefined;
    });
    expect((await update(flaky, ['PyPI'])).downloaded).toEqual(['PyPI']);
    expect(log).toHaveLength(3);
  });

  it('fails on an ecosystem the bucket does not have, importing nothing', async () => {
    await expect(update(osvBucket([]), ['npm', 'Nonesuch'])).rejects.toThrow(
      /cannot download http:\/\/127\.0\.0\.1:\d+\/Nonesuch\/all\.zip: HTTP 404/,
    );
    const store = LocalStore.open(join(dir(), 'db'));
    expect((await store.dataVersion()).records).toBe(0);
    store.close();
  });

  it('fails on a download that does not match its MD5, keeping no partial file', async () => {
    const corrupt = osvBucket([], () => (_q, r) => {
      r.writeHead(200, { 'content-length': EXPORT.length, 'x-goog-hash': `md5=${MD5}` });
      r.end(Buffer.concat([EXPORT.subarray(0, 100), Buffer.alloc(EXPORT.length - 100)]));
    });
    await expect(update(corrupt, ['npm'])).rejects.toThrow(/does not match its MD5/);
  });

  it.each([
    ['the download directory is a file', (db: string) => writeFileSync(join(db, 'exports'), 'x')],
    [
      "an export's ETag file is a directory",
      (db: string) => mkdirSync(join(db, 'exports', 'npm.zip.etag'), { recursive: true }),
    ],
  ])('fails with VULNDB_LOCATION_INVALID when %s', async (_, block) => {
    mkdirSync(join(dir(), 'db'), { recursive: true });
    block(join(dir(), 'db'));
    await expect(update(osvBucket([]), ['npm'])).rejects.toMatchObject({
      code: 'VULNDB_LOCATION_INVALID',
      message: expect.stringContaining(join(dir(), 'db', 'exports')) as string,
    });
  });
});

describe('updateOsv of Amazon Linux', () => {
  const dir = useTempDir();

  async function update(mirror: Handler, ecosystems: string[]) {
    const server = await startServer(mirror);
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    try {
      const report = await updateOsv(store, {
        baseUrl: 'http://127.0.0.1:1',
        alasBaseUrl: server.url,
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

  it('fetches ALAS instead of an OSV export, and the next time asks with the ETags', async () => {
    const ecosystems = ['Amazon Linux:2', 'Amazon Linux:2023'];
    const first = await update(alasMirror([]), ecosystems);
    expect(first.report).toMatchObject({
      downloaded: ecosystems,
      notModified: [],
      imported: { read: 8, inserted: 8, malformed: 0 },
    });
    expect(first.version.ecosystems).toEqual({ 'Amazon Linux:2': 5, 'Amazon Linux:2023': 3 });
    const log: string[] = [];
    const second = await update(alasMirror(log), ecosystems);
    expect(second.report).toMatchObject({
      downloaded: [],
      notModified: ecosystems,
      imported: { read: 0 },
    });
    expect(
      log.filter((l) => l.includes('updateinfo.xml.gz')).every((l) => / "[0-9a-f]+"$/.test(l)),
    ).toBe(true);
  });

  it("imports all of a release's files again when one changed, so that copies still merge", async () => {
    await update(alasMirror([]), ['Amazon Linux:2023']);
    const repos = { ...defaultRepos(), '2023/core/x86_64': gzipSync('<updates></updates>') };
    const { report } = await update(alasMirror([], repos), ['Amazon Linux:2023']);
    expect(report).toMatchObject({
      downloaded: ['Amazon Linux:2023'],
      imported: { read: 2, unchanged: 2 },
    });
  });

  it('fails with one line when a repository cannot be fetched, importing nothing', async () => {
    const broken = alasMirror([], defaultRepos(), (path) =>
      path.includes('kernel-5.10/latest/aarch64')
        ? (_q, r) => void r.writeHead(404).end()
        : undefined,
    );
    const error = await rejection(update(broken, ['Amazon Linux:2023', 'Amazon Linux:2']));
    expect(error).toMatchObject({ code: 'VULNDB_DOWNLOAD_FAILED', kind: 'input' });
    expect(error.message).toMatch(
      /^cannot download http:\/\/127\.0\.0\.1:\d+\/2\/extras\/kernel-5\.10\/latest\/aarch64\/mirror\.list: HTTP 404$/,
    );
    const store = LocalStore.open(join(dir(), 'db'));
    expect((await store.dataVersion()).records).toBe(0);
    store.close();
  });

  it('fails on an Amazon Linux release it has no advisories of', async () => {
    await expect(update(alasMirror([]), ['Amazon Linux:2022'])).rejects.toMatchObject({
      code: 'VULNDB_DOWNLOAD_FAILED',
      message: expect.stringContaining('no advisories of Amazon Linux:2022') as unknown,
    });
  });
});
