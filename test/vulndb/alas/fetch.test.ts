import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { alasSources, downloadAlas, type AlasRelease } from '../../../shared/vulndb/alas';
import {
  alasMirror,
  defaultRepos,
  type Handler,
  type MirrorRepos,
} from '../../support/alas-mirror';
import { rejection } from '../../support/read';
import { startServer } from '../../support/registry-server';
import { useTempDir } from '../../support/temp';

const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

describe('downloadAlas', () => {
  const dir = useTempDir();

  async function download(release: AlasRelease, handler: Handler): Promise<boolean> {
    const server = await startServer(handler);
    try {
      return await downloadAlas(release, {
        baseUrl: `${server.url}/`,
        downloadDir: join(dir(), 'exports'),
        retry: FAST_RETRY,
      });
    } finally {
      await server.stop();
    }
  }

  const updateinfoRequests = (log: readonly string[]) =>
    log.filter((l) => l.includes('-updateinfo.xml.gz'));

  describe('when Amazon Linux 2023 is fetched', () => {
    it('follows each arch mirror list to its repomd.xml and updateinfo, listing the files', async () => {
      const log: string[] = [];
      expect(await download('2023', alasMirror(log))).toBe(true);
      expect(log.filter((l) => l.includes('x86_64'))).toEqual([
        '/al2023/core/mirrors/latest/x86_64/mirror.list',
        '/guids/2023/core/x86_64/repodata/repomd.xml',
        expect.stringMatching(
          /^\/guids\/2023\/core\/x86_64\/repodata\/[0-9a-f]{64}-updateinfo\.xml\.gz$/,
        ),
      ]);
      const sources = await alasSources(join(dir(), 'exports'), '2023');
      expect(sources.map((s) => [s.path.slice(dir().length), s.alas])).toEqual([
        ['/exports/alas/2023/core/x86_64.updateinfo', { release: '2023' }],
        ['/exports/alas/2023/core/aarch64.updateinfo', { release: '2023' }],
      ]);
      expect(readFileSync(sources[0]!.path)).toEqual(defaultRepos()['2023/core/x86_64']);
    });

    it('asks again with the ETags, and says nothing changed when nothing did', async () => {
      const log: string[] = [];
      await download('2023', alasMirror(log));
      expect(await download('2023', alasMirror(log))).toBe(false);
      expect(updateinfoRequests(log).slice(2)).toEqual([
        expect.stringMatching(/updateinfo\.xml\.gz "[0-9a-f]{16}"$/),
        expect.stringMatching(/updateinfo\.xml\.gz "[0-9a-f]{16}"$/),
      ]);
    });

    it('says something changed when one arch file did', async () => {
      await download('2023', alasMirror([]));
      const repos = { ...defaultRepos(), '2023/core/aarch64': gzipSync('<updates></updates>') };
      expect(await download('2023', alasMirror([], repos))).toBe(true);
    });
  });

  describe('when Amazon Linux 2 is fetched', () => {
    it('reads core and every topic of each arch catalog, keeping the topic of each file', async () => {
      const log: string[] = [];
      await download('2', alasMirror(log));
      expect(log).toContain('/2/extras-catalog-aarch64.json');
      expect(log).toContain('/2/extras/emacs/latest/aarch64/mirror.list');
      const sources = await alasSources(join(dir(), 'exports'), '2');
      expect(sources.map((s) => s.alas)).toEqual([
        { release: '2' },
        { release: '2', topic: 'kernel-5.10' },
        { release: '2' },
        { release: '2', topic: 'kernel-5.10' },
      ]);
    });

    it('says something changed when a topic stops publishing its updateinfo', async () => {
      await download('2', alasMirror([]));
      const repos: MirrorRepos = { ...defaultRepos(), '2/kernel-5.10/aarch64': null };
      expect(await download('2', alasMirror([], repos))).toBe(true);
      expect(await alasSources(join(dir(), 'exports'), '2')).toHaveLength(3);
    });
  });

  describe('when the server hiccups', () => {
    it('retries a 503 and a dropped connection', async () => {
      const log: string[] = [];
      let failures = 0;
      const flaky = alasMirror(log, defaultRepos(), (path) => {
        if (!path.endsWith('repomd.xml') || failures >= 2) return undefined;
        failures++;
        return failures === 1
          ? (_q, r) => void r.writeHead(503, { 'retry-after': '0' }).end()
          : (_q, r) => void r.destroy();
      });
      expect(await download('2023', flaky)).toBe(true);
      expect(failures).toBe(2);
    });
  });

  describe('failures', () => {
    const failing = (path: RegExp, handler: Handler) =>
      alasMirror([], defaultRepos(), (p) => (path.test(p) ? handler : undefined));

    it.each<[string, RegExp, Handler, RegExp, string]>([
      [
        'a mirror list is missing',
        /mirror\.list$/,
        (_q, r) => void r.writeHead(404).end(),
        /mirror\.list: HTTP 404$/,
        'input',
      ],
      [
        'a mirror list names no URL',
        /x86_64\/mirror\.list$/,
        (_q, r) => void r.end('<html>nope</html>\n'),
        /not a mirror list: "<html>nope<\/html>"$/,
        'input',
      ],
      [
        'a repomd.xml is not one',
        /repomd\.xml$/,
        (_q, r) => void r.end('{"not":"xml"}'),
        /repomd\.xml: not a repomd\.xml: /,
        'input',
      ],
      [
        'a core repository publishes no updateinfo',
        /core\/x86_64\/repodata\/repomd\.xml$/,
        (_q, r) =>
          void r.end(
            readFileSync(
              join(__dirname, '..', '..', 'fixtures', 'alas', 'repomd-no-updateinfo.xml'),
            ),
          ),
        /repomd\.xml: the repository publishes no updateinfo$/,
        'input',
      ],
      [
        'an updateinfo does not match its repomd checksum',
        /x86_64\/repodata\/.*updateinfo\.xml\.gz$/,
        (_q, r) => void r.end(Buffer.alloc(defaultRepos()['2023/core/x86_64']!.length)),
        /does not match its sha256 in the repository metadata$/,
        'transient',
      ],
      [
        'an updateinfo keeps failing',
        /updateinfo\.xml\.gz$/,
        (_q, r) => void r.writeHead(502).end(),
        /updateinfo\.xml\.gz: HTTP 502$/,
        'transient',
      ],
    ])(
      'fails when %s, with a typed error naming the URL',
      async (_, path, handler, message, kind) => {
        const error = await rejection(download('2023', failing(path, handler)));
        expect(error).toMatchObject({ code: 'VULNDB_DOWNLOAD_FAILED', kind });
        expect(error.message).toMatch(/^cannot download http:\/\/127\.0\.0\.1:\d+\//);
        expect(error.message).toMatch(message);
        expect(error.message.split('\n')).toHaveLength(1);
      },
    );

    it('fails when repomd.xml places the updateinfo on another host, fetching nothing there', async () => {
      const elsewhere = failing(
        /repomd\.xml$/,
        (_q, r) =>
          void r.end(
            '<repomd><data type="updateinfo"><location href="http://169.254.169.254/latest/meta-data"/></data></repomd>',
          ),
      );
      const error = await rejection(download('2023', elsewhere));
      expect(error.message).toMatch(/the updateinfo is elsewhere \(http:\/\/169\.254\.169\.254\)$/);
    });

    it('fails when the extras catalog is not one', async () => {
      const error = await rejection(
        download(
          '2',
          failing(/extras-catalog/, (_q, r) => void r.end('{"topics":[{"n":"../etc"}]}')),
        ),
      );
      expect(error).toMatchObject({ code: 'VULNDB_DOWNLOAD_FAILED', kind: 'input' });
      expect(error.message).toMatch(/extras-catalog-x86_64\.json: not an extras catalog/);
    });

    it.each([
      ['not JSON', '[{"path": 1}'],
      ['not a list of files', '[{"path": 1}]'],
    ])('fails when the manifest of the last download is %s', async (_, text) => {
      await download('2023', alasMirror([]));
      writeFileSync(join(dir(), 'exports', 'alas', '2023', 'sources.json'), text);
      await expect(alasSources(join(dir(), 'exports'), '2023')).rejects.toMatchObject({
        code: 'VULNDB_LOCATION_INVALID',
      });
    });
  });

  describe('when nothing was ever downloaded', () => {
    it('lists no files', async () => {
      expect(await alasSources(join(dir(), 'nothing'), '2')).toEqual([]);
    });
  });
});
