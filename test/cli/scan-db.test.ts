import { BROKEN_STORES } from '../support/broken-stores';
import { clearance } from '../support/cli';
import { DEMO_IMAGE } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

describe('clearance scan --db', () => {
  const dir = useTempDir();

  describe.each(Object.entries(BROKEN_STORES))('when --db names %s', (_, broken) => {
    it('exits 2 with one line saying what is there', async () => {
      const db = await broken.make(dir());
      const result = await clearance(['scan', '--db', db, '--format', 'json', `oci:${DEMO_IMAGE}`]);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(broken.message);
      expect(result.stderr).not.toContain('this is a bug');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});
