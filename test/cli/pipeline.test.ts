import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeTemplate } from '../../lib/synthesize';
import { clearance } from '../support/cli';
import { DEMO_IMAGE, DEMO_OSV } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

jest.setTimeout(60_000);

describe('clearance pipeline run', () => {
  const dir = useTempDir();
  const state = () => join(dir(), 'state');
  // A copy: SignVerdict attaches the signed verdict into the layout it scans.
  let DEMO = '';
  beforeEach(() => {
    cpSync(DEMO_IMAGE, join(dir(), 'demo-image'), { recursive: true });
    DEMO = `oci:${join(dir(), 'demo-image')}:latest`;
  });

  describe('when the image fails the default policy', () => {
    it('prints each state, the verdict and where the results are, and exits 1', async () => {
      const result = await clearance([
        'pipeline',
        'run',
        '--state-dir',
        state(),
        '--osv',
        DEMO_OSV,
        DEMO,
      ]);

      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/✓ Resolve {2}linux\/amd64, linux\/arm64\/v8 \(6 layers\)/);
      expect(result.stdout).toMatch(/✓ Match {2}linux\/amd64: 1 high, 2 low/);
      expect(result.stdout).toMatch(/✓ Quarantine/);
      expect(result.stdout).toMatch(/notification to alerts: \[FAIL\] demo-image:latest/);
      expect(result.stdout).toContain('\nverdict: fail\n');
      const reports = /report and SBOMs: (.*)\n/.exec(result.stdout)![1]!;
      expect(existsSync(join(reports, 'summary.json'))).toBe(true);
      expect(readFileSync(join(state(), 'audit.jsonl'), 'utf8')).toMatch(/"scan.completed"/);
    });
  });

  describe('when given a synthesized template', () => {
    it('runs that definition instead of synthesizing one', async () => {
      const template = join(dir(), 'Clearance.template.json');
      writeFileSync(template, JSON.stringify(synthesizeTemplate()));
      const result = await clearance([
        'pipeline',
        'run',
        '--state-dir',
        state(),
        '--osv',
        DEMO_OSV,
        '--template',
        template,
        DEMO,
      ]);
      expect(result.stdout).toContain('verdict: fail');
    });
  });

  it('fails, exit 2, when there is no vulnerability data, saying how to get some', async () => {
    const result = await clearance(['pipeline', 'run', '--state-dir', state(), DEMO], {
      CLEARANCE_DB_DIR: join(dir(), 'no-db'),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no vulnerability data in .*no-db: run "clearance db update"/);
  });

  it('fails, exit 2, when the image cannot be read', async () => {
    const result = await clearance([
      'pipeline',
      'run',
      '--state-dir',
      state(),
      '--osv',
      DEMO_OSV,
      `oci:${join(dir(), 'missing')}:latest`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^clearance: /);
  });
});
