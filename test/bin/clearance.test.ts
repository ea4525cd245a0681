import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { VERSION } from '../../shared/core';
import { buildCliIfMissing, CLI_BUNDLE } from '../support/cli-bundle';

const DEMO = join(__dirname, '..', '..', 'examples', 'demo-image');

/** The bundle run as a user runs it, by this Node (22), with `nodeVersion` pretended if given. */
function run(args: readonly string[], nodeVersion?: string) {
  const pretend =
    nodeVersion === undefined
      ? []
      : [
          '--import',
          `data:text/javascript,Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '${nodeVersion}' } });`,
        ];
  return spawnSync(process.execPath, [...pretend, CLI_BUNDLE, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/nonexistent' },
  });
}

beforeAll(buildCliIfMissing, 120_000);

describe('the clearance bundle (bin/clearance.ts)', () => {
  it('prints its version', () => {
    expect(run(['--version'])).toMatchObject({ status: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it.each(['20.20.2', '22.14.0'])(
    'refuses Node %s in one line that says what to install, and exits 2',
    (version) => {
      const result = run(['--version'], version);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        /^clearance: needs Node\.js 22\.15 or newer, and this is v\S+; install a current Node\.js LTS\n$/,
      );
    },
  );

  it('scans the demo image and prints no warning (SQLite’s experimental one included)', () => {
    const result = run(['scan', '--format', 'json', '--allow-incomplete', `oci:${DEMO}:latest`]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { platforms: unknown[] };
    expect(report.platforms).toHaveLength(2);
  });
});
