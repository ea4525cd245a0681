import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALAS_FIXTURES, alasMirror } from '../support/alas-mirror';
import { BROKEN_STORES } from '../support/broken-stores';
import { clearance } from '../support/cli';
import { zipOf } from '../support/hostile/zip';
import { startServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

const OSV = join(__dirname, '..', 'fixtures', 'osv');
const NOW = { SOURCE_DATE_EPOCH: String(Date.parse('2024-10-11T12:00:00Z') / 1000) };

describe('clearance db', () => {
  const dir = useTempDir();

  describe('import', () => {
    it('imports an export, says what it did, and lists the malformed records on stderr', async () => {
      const result = await clearance(['db', 'import', '--db', dir(), join(OSV, 'all.zip')]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        'read 17 records: 10 new, 0 updated, 0 unchanged, 7 malformed (skipped); 1 GIT ranges skipped\n',
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(7);
      expect(result.stderr).toContain(`skipped ${join(OSV, 'all.zip')}!/no-id.json: no id`);
    });

    it('skips an export entry named ../ or /, listing it as malformed, and imports the rest', async () => {
      const zip = join(dir(), 'all.zip');
      const record = readFileSync(join(OSV, 'valid', readdirSync(join(OSV, 'valid'))[0]!));
      writeFileSync(
        zip,
        zipOf([
          { name: '../../../etc/cron.d/evil.json', data: record },
          { name: '/abs/evil.json', data: record },
          { name: 'ok.json', data: record },
        ]),
      );
      const result = await clearance(['db', 'import', '--db', join(dir(), 'db'), zip]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^read 3 records: 1 new, .* 2 malformed \(skipped\)/);
      expect(result.stderr).toBe(
        [
          `clearance: skipped ${zip}!/../../../etc/cron.d/evil.json: unsafe entry name: invalid relative path`,
          `clearance: skipped ${zip}!//abs/evil.json: unsafe entry name: absolute path`,
          '',
        ].join('\n'),
      );
    });

    it('uses $CLEARANCE_DB_DIR when --db is not given', async () => {
      const env = { CLEARANCE_DB_DIR: dir() };
      await clearance(['db', 'import', join(OSV, 'valid')], env);
      const status = await clearance(['db', 'status', '--format', 'json'], env);
      expect(status.json()).toMatchObject({ directory: dir(), records: 10 });
    });

    it('exits 2 naming a path that cannot be read', async () => {
      const result = await clearance(['db', 'import', '--db', dir(), join(dir(), 'nope.zip')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^clearance: cannot read .*nope\.zip/);
    });
  });

  describe('import of Amazon Linux updateinfo files', () => {
    it('imports them beside OSV records, merging the arches, and lists the malformed updates', async () => {
      const result = await clearance([
        'db',
        'import',
        '--db',
        dir(),
        join(OSV, 'valid'),
        join(ALAS_FIXTURES, 'al2023-x86_64-updateinfo.xml'),
        join(ALAS_FIXTURES, 'al2023-aarch64-updateinfo.xml'),
        join(ALAS_FIXTURES, 'al2-core-updateinfo.xml.gz'),
        join(ALAS_FIXTURES, 'malformed-updateinfo.xml'),
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(
        'read 24 records: 17 new, 0 updated, 0 unchanged, 7 malformed (skipped); 1 GIT ranges skipped\n',
      );
      expect(result.stderr).toContain(
        `clearance: skipped ${join(ALAS_FIXTURES, 'malformed-updateinfo.xml')}!/ALAS2023-2024-902: ALAS2023-2024-902: the issued date "2024-02-30 10:00:00" is not a date\n`,
      );
      const status = await clearance(['db', 'status', '--db', dir(), '--format', 'json']);
      expect(status.json().ecosystems).toMatchObject({
        'Amazon Linux:2': 3,
        'Amazon Linux:2023': 4,
      });
    });
  });

  describe('update of Amazon Linux', () => {
    it('fetches ALAS from --alas-base-url, then $CLEARANCE_ALAS_BASE_URL, and says what it did', async () => {
      const log: string[] = [];
      const server = await startServer(alasMirror(log));
      try {
        const args = ['db', 'update', '--db', dir(), '--ecosystem', 'Amazon Linux:2023'];
        const first = await clearance([...args, '--alas-base-url', server.url]);
        expect(first.code).toBe(0);
        expect(first.stdout).toBe(
          'downloaded 1 exports (Amazon Linux:2023); 0 unchanged\n' +
            'read 3 records: 3 new, 0 updated, 0 unchanged, 0 malformed (skipped); 0 GIT ranges skipped\n',
        );
        const second = await clearance(args, { CLEARANCE_ALAS_BASE_URL: server.url });
        expect(second.stdout).toMatch(/^downloaded 0 exports \(none\); 1 unchanged\n/);
      } finally {
        await server.stop();
      }
    });

    it('exits 2 with one line when the mirror cannot be reached', async () => {
      const result = await clearance([
        'db',
        'update',
        '--db',
        dir(),
        '--ecosystem',
        'Amazon Linux:2',
        '--alas-base-url',
        'http://127.0.0.1:1',
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toBe(
        'clearance: cannot download http://127.0.0.1:1/2/extras-catalog-x86_64.json: ' +
          'fetch does not connect to the port of 127.0.0.1:1 (a "bad port": https://fetch.spec.whatwg.org/#bad-port) (4 attempts); ' +
          'to update without this network, download the files elsewhere and run ' +
          '"clearance db import DIR", or fetch from a mirror with --alas-base-url\n',
      );
    });

    describe('when the server cannot be reached', () => {
      it('fails naming the URL, the cause and the next step, in one line', async () => {
        const server = await startServer(() => {});
        await server.stop();
        const result = await clearance([
          'db',
          'update',
          '--db',
          dir(),
          '--ecosystem',
          'npm',
          '--base-url',
          server.url,
        ]);
        expect(result.code).toBe(2);
        expect(result.stderr).toBe(
          `clearance: cannot download ${server.url}/npm/all.zip: ` +
            `${server.host} refused the connection or cannot be reached (ECONNREFUSED) (4 attempts); ` +
            'to update without this network, download the files elsewhere and run ' +
            '"clearance db import DIR", or fetch from a mirror with --base-url\n',
        );
      });

      it('fails naming the broken connection when the server hangs up', async () => {
        const server = await startServer((request) => {
          request.socket.destroy();
        });
        try {
          const result = await clearance(['db', 'update', '--db', dir(), '--ecosystem', 'KEV'], {
            CLEARANCE_KEV_URL: `${server.url}/kev.json`,
          });
          expect(result.code).toBe(2);
          expect(result.stderr).toMatch(
            new RegExp(
              `^clearance: cannot download ${server.url}/kev\\.json: the connection to ${server.host} broke \\((UND_ERR_SOCKET|ECONNRESET)\\) \\(4 attempts\\); .* with --kev-url\n$`,
            ),
          );
        } finally {
          await server.stop();
        }
      });
    });
  });

  describe('status', () => {
    it('prints the data version, the newest record and its age, and counts per ecosystem', async () => {
      await clearance(['db', 'import', '--db', dir(), join(OSV, 'valid')], NOW);
      const result = await clearance(['db', 'status', '--db', dir()], NOW);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        new RegExp(
          [
            `^vulnerability data in ${dir()}`,
            '  version  sha256:[0-9a-f]{64}',
            '  newest   2024-10-01T12:00:00Z \\(10 days old\\)',
            '  updated  2024-10-11T12:00:00.000Z',
            '  records  10',
            '    Alpine:3.19 +1',
          ].join('\n'),
        ),
      );
      expect(result.stdout).toMatch(/ {4}Debian:12 +2\n/);
    });

    it('exits 2 telling how to get data when there is none', async () => {
      const result = await clearance(['db', 'status', '--db', join(dir(), 'empty')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/no vulnerability data in .*run "clearance db update"/);
    });
  });

  describe.each(Object.entries(BROKEN_STORES))('when --db names %s', (_, broken) => {
    it.each([
      ['status', []],
      ['import', [join(OSV, 'valid')]],
      // A closed port: the update must fail on the store before it downloads anything.
      ['update', ['--base-url', 'http://127.0.0.1:1', '--ecosystem', 'Debian']],
    ])('db %s exits 2 with one line saying what is there', async (command, args) => {
      const db = await broken.make(dir());
      const result = await clearance(['db', command, '--db', db, ...args]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(broken.message);
      expect(result.stderr).not.toContain('this is a bug');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});
