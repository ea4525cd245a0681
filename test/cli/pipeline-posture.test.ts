import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { clearance } from '../support/cli';
import { useTempDir } from '../support/temp';

/*
 * `clearance pipeline posture`: FleetScan's Posture step as synthesized, on the recordings the
 * collectors wrote from the API reference's responses (test/fixtures/golden/posture-run/).
 */

const RECORDINGS = join(__dirname, '..', 'fixtures', 'golden', 'posture-run');
const EPOCH = { SOURCE_DATE_EPOCH: '1796612400' };

describe('clearance pipeline posture', () => {
  const dir = useTempDir();

  describe('when given a directory of recordings', () => {
    it('judges them, writes the recordings and the report to the state directory, and exits 1 on failing workloads', async () => {
      const result = await clearance(
        ['pipeline', 'posture', '--recordings', RECORDINGS, '--state-dir', dir()],
        EPOCH,
      );
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/Runtime posture \(.*report\.json\): 3 workloads/);
      expect(result.stdout).toContain('Worst services');
      // Nothing was scanned in this state directory: every running image is without a verdict.
      expect(result.stdout).toContain('Images running without a pass verdict (3)');
      const report = join(
        dir(),
        'objects',
        'posture',
        'local-2026-12-07T03-00-00-000Z',
        'report.json',
      );
      expect(existsSync(report)).toBe(true);
      expect(result.code).toBe(1);
    }, 60_000);
  });

  describe('when given only a registry recording', () => {
    it('says the ECS inventory was not collected and judges the registry', async () => {
      const result = await clearance(
        [
          'pipeline',
          'posture',
          '--ecr-registry',
          join(RECORDINGS, 'ecr-registry.json'),
          '--state-dir',
          dir(),
        ],
        EPOCH,
      );
      expect(result.stdout).toContain(
        'not collected (ecs): no clearance/ecs-inventory/v1 recording given',
      );
      expect(result.stdout).toMatch(
        /Registry: \d+ failed checks; 2 of 2 watched repositories fail/,
      );
      expect(result.code).toBe(1);
    }, 60_000);
  });

  it('fails as usage when no recording is given', async () => {
    const result = await clearance(['pipeline', 'posture', '--state-dir', dir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no recording: give --recordings DIR');
  });

  it('fails with 2 when no recording is of its format', async () => {
    const result = await clearance(
      [
        'pipeline',
        'posture',
        '--ecs-inventory',
        join(RECORDINGS, 'ecr-registry.json'),
        '--state-dir',
        dir(),
      ],
      EPOCH,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^clearance: posture run failed: POSTURE_NOT_COLLECTED: nothing to judge: ecs: .*is not a clearance\/ecs-inventory\/v1 recording/,
    );
  }, 60_000);
});
