import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN_STORES } from '../support/broken-stores';
import { clearance } from '../support/cli';
import { zipOf } from '../support/hostile/zip';
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
