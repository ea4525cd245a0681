import { VERSION } from '../../shared/core';
import { SUMMARIES } from '../../shared/cli/commands/summaries';
import { clearance } from '../support/cli';

describe('clearance (the top level)', () => {
  it('lists every command with its summary, and exits 0', async () => {
    const result = await clearance(['--help']);
    expect(result.code).toBe(0);
    for (const [name, summary] of Object.entries(SUMMARIES)) {
      expect(result.stdout).toContain(name);
      expect(result.stdout.replace(/\s+/g, ' ')).toContain(summary);
    }
  });

  it('prints its version', async () => {
    const result = await clearance(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it.each([
    ['scan', '--help'],
    ['help', 'scan'],
  ])('shows a command’s own options: clearance %s %s', async (...argv) => {
    const result = await clearance(argv);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: clearance scan [options] <image>');
    expect(result.stdout).toContain('--fail-on <severity>');
  });

  it('suggests the command meant by a typo, and exits 2', async () => {
    const result = await clearance(['scna', 'oci:x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'scna'");
    expect(result.stderr).toContain('(Did you mean scan?)');
  });

  it('loads only the command it runs', async () => {
    const loaded: string[] = [];
    await jest.isolateModulesAsync(async () => {
      for (const name of ['scan', 'posture', 'pipeline', 'db'])
        jest.doMock(`../../shared/cli/commands/${name}`, () => {
          loaded.push(name);
          return jest.requireActual<object>(`../../shared/cli/commands/${name}`);
        });
      const { runCli } = await import('../../shared/cli/main');
      const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} };
      await runCli(['--help'], io);
      expect(loaded).toEqual([]);
      await runCli(['db', '--help'], io);
      expect(loaded).toEqual(['db']);
    });
  });
});
