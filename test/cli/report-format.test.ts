import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../shared/cli/errors';
import { writeReport } from '../../shared/cli/report-format';
import { clearance } from '../support/cli';

const DEMO = `oci:${join(__dirname, '..', '..', 'examples', 'demo-image')}:latest`;

/** A stdout that is full after every write until the test lets it drain. */
class SlowPipe extends EventEmitter {
  readonly written: string[] = [];
  write(chunk: string): boolean {
    this.written.push(chunk);
    return false;
  }
}

describe('writeReport', () => {
  it('writes to stdout a chunk at a time, waiting for a full pipe to drain', async () => {
    const stdout = new SlowPipe();
    let done = false;
    const writing = writeReport({ stdout, stderr: stdout, env: {} }, undefined, ['a', 'b']).then(
      () => (done = true),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(stdout.written).toEqual(['a']);
    stdout.emit('drain');
    await new Promise((resolve) => setImmediate(resolve));
    expect(stdout.written).toEqual(['a', 'b']);
    expect(done).toBe(false);
    stdout.emit('drain');
    await writing;
    expect(done).toBe(true);
  });

  it('writes --output to its file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clearance-report-')), 'report.json');
    const io = { stdout: new SlowPipe(), stderr: new SlowPipe(), env: {} };
    await writeReport(io, file, ['{', '}\n']);
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
    expect(io.stdout.written).toEqual([]);
  });

  it('refuses a file it cannot write, naming it', async () => {
    const io = { stdout: new SlowPipe(), stderr: new SlowPipe(), env: {} };
    await expect(writeReport(io, '/nonexistent/dir/report.json', ['x'])).rejects.toThrow(
      UsageError,
    );
  });
});

describe('--output to a directory that does not exist', () => {
  it.each([
    ['scan', '--allow-incomplete'],
    ['sbom', '--platform', 'linux/amd64'],
  ])('clearance %s: one line naming it, exit 2', async (...args) => {
    const result = await clearance([...args, '--output', '/nonexistent/dir/report.json', DEMO]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^clearance: --output \/nonexistent\/dir\/report\.json: ENOENT/m);
    expect(result.stderr).not.toContain('this is a bug');
  });
});
