import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../../shared/policy';
import type { ScanReport } from '../../shared/scan/report';
import { clearance } from '../support/cli';
import { useTempDir } from '../support/temp';

const DEMO = `oci:${join(__dirname, '..', '..', 'examples', 'demo-image')}:latest`;
const EPOCH = { SOURCE_DATE_EPOCH: '1795392000' };
const ONE = ['--platform', 'linux/amd64', DEMO];

describe('policies', () => {
  const dir = useTempDir();

  describe('clearance scan --policy', () => {
    it('adds the verdict and exits 1 when it fails (the default policy fails closed without vulnerability data)', async () => {
      const result = await clearance(['scan', '--policy', 'default', ...ONE], EPOCH);
      expect(result.code).toBe(1);
      const { verdict } = result.json<ScanReport>();
      expect(verdict).toMatchObject({ decision: 'fail', policy: { name: 'default' } });
      expect(verdict!.rules.find((r) => r.id === 'no-fixable-critical-high')!.outcome).toBe(
        'error',
      );
    });

    it('fails closed, exit 1, on a rule whose expression does not compile', async () => {
      const file = join(dir(), 'bad.yaml');
      writeFileSync(file, 'rules:\n  - id: a\n    expression: "1 +"\n');
      const result = await clearance(['scan', '--policy', file, ...ONE], EPOCH);
      expect(result.code).toBe(1);
      expect(result.json<ScanReport>().verdict).toMatchObject({
        decision: 'fail',
        rules: [{ id: 'a', outcome: 'error', message: expect.stringMatching(/does not compile/) }],
      });
    });
  });

  describe('clearance policy test', () => {
    /** A report scanned without vulnerability data, that gap accepted by name when it was scanned. */
    async function savedReport(...flags: string[]): Promise<string> {
      const file = join(dir(), 'report.json');
      const result = await clearance(['scan', '--output', file, ...flags, ...ONE], EPOCH);
      expect(result.code).toBe(0);
      return file;
    }
    const accepted = () => savedReport('--allow-gap', 'no-vulnerability-data');

    it('fails a report whose coverage gaps nobody accepted, whatever its rules say', async () => {
      const policy = join(dir(), 'policy.yaml');
      writeFileSync(policy, "name: t\nrules:\n  - id: debian\n    expression: os.id == 'debian'\n");
      const result = await clearance(
        ['policy', 'test', policy, '--input', await savedReport(), '--expect', 'pass'],
        EPOCH,
      );
      expect(result.code).toBe(1);
      expect(result.json<Verdict>()).toMatchObject({
        decision: 'fail',
        coverage: 'incomplete',
        rules: [{ id: 'debian', outcome: 'pass' }],
      });
    });

    it('prints the verdict and exits 0 when it is the one expected', async () => {
      const policy = join(dir(), 'policy.yaml');
      writeFileSync(
        policy,
        "name: t\nrules:\n  - id: debian\n    expression: os.id == 'debian'\n  - id: pinned\n    action: warn\n    expression: \"checks.exists(c, c.id == 'latest-tag' && c.status == 'pass')\"\n",
      );
      const result = await clearance(
        ['policy', 'test', policy, '--input', await accepted(), '--expect', 'warn'],
        EPOCH,
      );
      expect(result.code).toBe(0);
      expect(result.json<Verdict>()).toMatchObject({
        decision: 'warn',
        rules: [
          { id: 'debian', outcome: 'pass' },
          { id: 'pinned', outcome: 'fail' },
        ],
      });
    });

    it('exits 1 when the decision is not the one expected', async () => {
      const result = await clearance(
        ['policy', 'test', 'default', '--input', await accepted(), '--expect', 'pass'],
        EPOCH,
      );
      expect(result.code).toBe(1);
    });

    it('says the decision expected, the one got and the rules that decided it', async () => {
      const policy = join(dir(), 'policy.yaml');
      writeFileSync(
        policy,
        "name: t\nrules:\n  - id: debian\n    expression: os.id == 'debian'\n  - id: pinned\n    action: warn\n    expression: \"checks.exists(c, c.id == 'latest-tag' && c.status == 'pass')\"\n",
      );
      const result = await clearance(
        ['policy', 'test', policy, '--input', await accepted(), '--expect', 'pass'],
        EPOCH,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^clearance: policy t: expected pass, got warn: decided by pinned \(warn fail[^\n]*\)\n$/,
      );
    });
  });
});
