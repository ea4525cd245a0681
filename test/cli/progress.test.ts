import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { runCli } from '../../shared/cli/main';
import { progressOf } from '../../shared/cli/progress';
import type { CliIO } from '../../shared/cli/io';
import { useTempDir } from '../support/temp';

const ERASE = '\r\x1b[2K';
const DEMO = `oci:${join(__dirname, '..', '..', 'examples', 'demo-image')}:latest`;
const EPOCH = { SOURCE_DATE_EPOCH: '1795392000' };
const LAYER = `sha256:${'0123456789ab'.repeat(5)}abcd`;
const MB = 1000 * 1000;

/** A stderr that says it is a terminal, `columns` wide, and keeps what is written to it. */
function terminal(columns = 200) {
  const written: string[] = [];
  return { isTTY: true, columns, write: (s: string) => written.push(s), written };
}

function ioOf(stderr: CliIO['stderr'], env: Record<string, string> = {}) {
  let stdout = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr,
    env: { HOME: '/nonexistent', ...env },
  };
  return { io, stdout: () => stdout };
}

const layerRead = (bytesRead: number) => ({
  phase: 'layers' as const,
  platform: 'linux/amd64',
  layer: LAYER,
  index: 1,
  count: 3,
  bytesRead,
  size: 735 * MB,
});

describe('progressOf', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());
  const clock = () => Date.now();

  describe('when stderr is a terminal', () => {
    it('draws a layer as platform, place, short digest and bytes of its size, then erases it', () => {
      const stderr = terminal();
      const progress = progressOf(ioOf(stderr).io, {}, clock);
      progress.scan(layerRead(312 * MB));
      progress.end();
      expect(stderr.written).toEqual([
        `${ERASE}linux/amd64: layer 2/3 0123456789ab 312.0 MB / 735.0 MB (42%)`,
        ERASE,
      ]);
    });

    it('redraws at most 10 times a second, the newest text, so a large layer shows movement', () => {
      const stderr = terminal();
      const progress = progressOf(ioOf(stderr).io, {}, clock);
      for (let mb = 0; mb <= 735; mb += 5) {
        progress.scan(layerRead(mb * MB));
        jest.advanceTimersByTime(10);
      }
      progress.end();
      const draws = stderr.written.filter((w) => w !== ERASE);
      // 148 updates over 1.48 s: 15 draws, each newer than the last.
      expect(draws.length).toBe(15);
      expect(draws[1]).toContain('45.0 MB / 735.0 MB (6%)');
      expect(draws.at(-1)).toContain('695.0 MB / 735.0 MB (94%)');
      expect(stderr.written.at(-1)).toBe(ERASE);
    });

    it('draws what is pending once the interval is over', () => {
      const stderr = terminal();
      const progress = progressOf(ioOf(stderr).io, {}, clock);
      progress.scan(layerRead(0));
      progress.scan({ phase: 'analysing', platform: 'linux/amd64' });
      expect(stderr.written).toHaveLength(1);
      jest.advanceTimersByTime(100);
      expect(stderr.written).toEqual([
        `${ERASE}linux/amd64: layer 2/3 0123456789ab 0 B / 735.0 MB (0%)`,
        `${ERASE}linux/amd64: analysing the files read (inventory, secrets, checks)`,
      ]);
    });

    it('cuts a line to the terminal width, so that it never wraps', () => {
      const stderr = terminal(20);
      progressOf(ioOf(stderr).io, {}, clock).scan(layerRead(0));
      expect(stderr.written).toEqual([`${ERASE}linux/amd64: layer `]);
    });

    it('erases nothing at the end when nothing was drawn, and draws nothing after it', () => {
      const stderr = terminal();
      const progress = progressOf(ioOf(stderr).io, {}, clock);
      progress.end();
      progress.scan(layerRead(0));
      progress.scan(layerRead(1));
      progress.end();
      jest.advanceTimersByTime(1000);
      expect(stderr.written).toEqual([
        `${ERASE}linux/amd64: layer 2/3 0123456789ab 0 B / 735.0 MB (0%)`,
        ERASE,
      ]);
    });

    it('shows a download as bytes of its Content-Length, or bytes alone, and the import per ecosystem', () => {
      const stderr = terminal();
      const progress = progressOf(ioOf(stderr).io, {}, clock);
      const url = 'http://127.0.0.1/npm/all.zip';
      progress.update({ phase: 'download', source: 'npm', url, bytes: 1500, total: 3000 });
      jest.advanceTimersByTime(100);
      progress.update({ phase: 'download', source: 'PyPI', url, bytes: 2 * MB });
      jest.advanceTimersByTime(100);
      progress.update({ phase: 'import', read: 1, ecosystem: 'npm' });
      progress.update({ phase: 'import', read: 2 });
      progress.update({ phase: 'import', read: 3, ecosystem: 'Debian:12' });
      progress.update({ phase: 'import', read: 4, ecosystem: 'Debian:11' });
      jest.advanceTimersByTime(100);
      expect(stderr.written).toEqual([
        `${ERASE}downloading npm: 1.5 kB / 3.0 kB (50%)`,
        `${ERASE}downloading PyPI: 2.0 MB`,
        `${ERASE}importing: 1 records read (npm 1)`,
        `${ERASE}importing: 4 records read (npm 1, Debian 2)`,
      ]);
    });
  });

  describe('when NO_COLOR is set', () => {
    it('writes plain lines, no escape sequence, at most one a second', () => {
      const stderr = terminal();
      const progress = progressOf(ioOf(stderr, { NO_COLOR: '1' }).io, {}, clock);
      for (let mb = 0; mb <= 735; mb += 5) {
        progress.scan(layerRead(mb * MB));
        jest.advanceTimersByTime(10);
      }
      progress.end();
      expect(stderr.written).toEqual([
        'linux/amd64: layer 2/3 0123456789ab 0 B / 735.0 MB (0%)\n',
        'linux/amd64: layer 2/3 0123456789ab 495.0 MB / 735.0 MB (67%)\n',
      ]);
      expect(stderr.written.join('')).not.toContain('\x1b');
    });

    it('ignores an empty NO_COLOR, as no-color.org says', () => {
      const stderr = terminal();
      progressOf(ioOf(stderr, { NO_COLOR: '' }).io, {}, clock).scan(layerRead(0));
      expect(stderr.written[0]?.startsWith(ERASE)).toBe(true);
    });
  });

  describe.each([
    ['stderr is not a terminal', { write: () => {} }, {}],
    ['--quiet is given', terminal(), { quiet: true }],
  ])('when %s', (_, stderr, flags) => {
    it('draws nothing', () => {
      const written: string[] = [];
      const io = ioOf({ ...stderr, write: (s: string) => written.push(s) }).io;
      const progress = progressOf(io, flags, clock);
      progress.scan(layerRead(0));
      progress.update({ phase: 'import', read: 1 });
      jest.advanceTimersByTime(1000);
      progress.end();
      expect(written).toEqual([]);
    });
  });
});

describe('progress of the commands', () => {
  const dir = useTempDir();

  describe('clearance scan on a terminal', () => {
    it('draws the first layer, erases the line, then says the final line clean', async () => {
      const stderr = terminal();
      const { io, stdout } = ioOf(stderr, EPOCH);
      const code = await runCli(['scan', '--platform', 'linux/amd64', DEMO], io);
      expect(code).toBe(0);
      const text = stderr.written.join('');
      expect(text.startsWith(ERASE)).toBe(true);
      expect(text.slice(ERASE.length)).toMatch(
        /^linux\/amd64: layer 1\/\d+ [0-9a-f]{12} 0 B \/ [\d.]+ k?B \(0%\)/,
      );
      const final = 'clearance: scan incomplete: the scan had no vulnerability data';
      // The last erase comes before the final line, which no progress follows.
      expect(text.lastIndexOf(ERASE)).toBeLessThan(text.indexOf(final));
      expect(text.slice(text.indexOf(final))).not.toContain('\x1b');
      expect(JSON.parse(stdout())).toMatchObject({ image: { platform: 'linux/amd64' } });
    });

    it('draws nothing with --quiet', async () => {
      const stderr = terminal();
      await runCli(['scan', '--quiet', '--platform', 'linux/amd64', DEMO], ioOf(stderr, EPOCH).io);
      expect(stderr.written.join('')).toMatch(/^clearance: scan incomplete: [^\n]*\n$/);
      expect(stderr.written.join('')).not.toContain('\x1b');
    });

    it('writes plain lines with NO_COLOR', async () => {
      const stderr = terminal();
      const env = { ...EPOCH, NO_COLOR: '1' };
      await runCli(['scan', '--platform', 'linux/amd64', DEMO], ioOf(stderr, env).io);
      expect(stderr.written[0]).toMatch(/^linux\/amd64: layer 1\/\d+ [0-9a-f]{12} 0 B/);
      expect(stderr.written.join('')).not.toContain('\x1b');
    });
  });

  describe('clearance sbom and inspect --verify on a terminal', () => {
    it.each([
      ['sbom', '--platform', 'linux/amd64', DEMO],
      ['inspect', '--verify', '--platform', 'linux/amd64', DEMO],
    ])('%s draws the layers read, and erases the line before the output', async (...argv) => {
      const stderr = terminal();
      const { io, stdout } = ioOf(stderr, EPOCH);
      expect(await runCli(argv, io)).toBe(0);
      expect(stderr.written[0]).toMatch(/^\r.\[2Klinux\/amd64: layer 1\//);
      expect(stderr.written.at(-1)).toBe(ERASE);
      expect(stdout()).not.toBe('');
    });
  });

  describe('clearance db update on a terminal', () => {
    let server: Server;
    let base: string;
    const zip = readFileSync(join(__dirname, '..', 'fixtures', 'osv', 'all.zip'));

    beforeAll(async () => {
      server = createServer((_, response) => {
        response.writeHead(200, { 'content-length': zip.length }).end(zip);
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('draws the download of the export as bytes of its length, and erases it before the report', async () => {
      const stderr = terminal();
      const { io, stdout } = ioOf(stderr);
      const argv = ['db', 'update', '--db', dir(), '--ecosystem', 'npm', '--base-url', base];
      expect(await runCli(argv, io)).toBe(0);
      const text = stderr.written.join('');
      expect(text.startsWith(ERASE)).toBe(true);
      expect(text.slice(ERASE.length)).toMatch(/^downloading npm: [\d.]+ kB \/ [\d.]+ kB \(\d+%\)/);
      const lastErase = text.lastIndexOf(ERASE);
      expect(text.slice(lastErase + ERASE.length)).not.toContain('\x1b');
      expect(stdout()).toMatch(/^downloaded 1 exports \(npm\); 0 unchanged\n/);
    });

    it('draws nothing when stderr is not a terminal', async () => {
      const written: string[] = [];
      const { io } = ioOf({ write: (s: string) => written.push(s) });
      const argv = ['db', 'update', '--db', dir(), '--ecosystem', 'npm', '--base-url', base];
      expect(await runCli(argv, io)).toBe(0);
      expect(written.join('')).not.toContain('\x1b');
      expect(written.join('')).not.toContain('downloading');
    });
  });
});
