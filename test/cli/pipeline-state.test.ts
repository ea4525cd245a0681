import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clearance } from '../support/cli';
import { DEMO_IMAGE, DEMO_OSV } from '../support/scan-steps';
import { BROKEN_STATES, holdLevelDbLock } from '../support/state-dirs';
import { useTempDir } from '../support/temp';

jest.setTimeout(60_000);

describe('clearance pipeline run', () => {
  const dir = useTempDir();
  const state = () => join(dir(), 'state');

  /** Runs the demo image with `flags`; the template is never reached when the state fails. */
  async function run(...flags: string[]) {
    const template = join(dir(), 'template.json');
    writeFileSync(template, '{}');
    return clearance(['pipeline', 'run', '--template', template, ...flags, `oci:${DEMO_IMAGE}`]);
  }

  async function importedDb(): Promise<string> {
    const db = join(dir(), 'db');
    expect((await clearance(['db', 'import', '--db', db, DEMO_OSV])).code).toBe(0);
    return db;
  }

  describe.each(BROKEN_STATES)('when %s', (_, breakState, message) => {
    it('exits 2 with one line saying what to do', async () => {
      const db = await importedDb();
      breakState(state());
      const result = await run('--state-dir', state(), '--db', db);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  describe('when the state directory is a file', () => {
    it.each([
      ['--db', true],
      ['--osv', false],
    ])('exits 2 with one line naming it (with %s)', async (flag, withDb) => {
      const data = withDb ? await importedDb() : DEMO_OSV;
      writeFileSync(state(), 'not a directory');
      const result = await run('--state-dir', state(), flag, data);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(state());
      expect(result.stderr).not.toContain('this is a bug');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  describe('when another process holds the tables', () => {
    it('exits 2 saying another process uses them', async () => {
      const db = await importedDb();
      const holder = await holdLevelDbLock(join(state(), 'dynamodb'));
      try {
        const result = await run('--state-dir', state(), '--db', db);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/are locked; another clearance process .* is using them/);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
      } finally {
        await holder.release();
      }
    });
  });
});
