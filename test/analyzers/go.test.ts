import { goAnalyzer } from '../../shared/analyzers/go';
import type { GoBinaryFacts } from '../../shared/analyzers/go-binary';
import { FunctionSet } from '../../shared/analyzers/go-functions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzerFile, FIXTURES, fixtureCases, goldenCase } from '../support/analyzer-fixtures';
import { buildElf } from '../support/elf-builder';

const MAGIC = '\xff Go buildinf:';
const packages = async (name: string) =>
  (await goldenCase(goAnalyzer, 'go', name)).actual.flatMap((r) => r.result.packages ?? []);
const analyze = (bytes: Buffer) => goAnalyzer.analyze(analyzerFile('app/server', bytes));

/** The module text as Go writes it, between its 16-byte sentinels. */
const modinfo = (text: string) => `${'0'.repeat(16)}${text}\n${'1'.repeat(16)}`;

/** Go 1.18+ build info: the header, then the version and module text inline. */
function inlineBuildInfo(goVersion: string, text: string): Buffer {
  const header = Buffer.alloc(32);
  header.write(MAGIC, 'latin1');
  header[14] = 8;
  header[15] = 2;
  const varint = (s: string) => {
    const bytes = Buffer.from(s);
    const length: number[] = [];
    for (let n = bytes.length; ; n >>>= 7) {
      length.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      if (n <= 0x7f) break;
    }
    return Buffer.concat([Buffer.from(length), bytes]);
  };
  return Buffer.concat([header, varint(goVersion), varint(modinfo(text))]);
}

describe('goAnalyzer', () => {
  describe('wants', () => {
    it.each([
      [0o755, true],
      [0o700, true],
      [0o001, true],
      [0o644, false],
      [0o4755, true],
    ])('a file of mode %o → %s', (mode, wanted) => {
      expect(goAnalyzer.wants('usr/local/bin/app', { mode, size: 1 })).toBe(wanted);
    });
  });

  describe('when run over the fixture directories', () => {
    it.each(fixtureCases('go'))('finds what %s/expected.json says', async (name) => {
      const { actual, expected } = await goldenCase(goAnalyzer, 'go', name);
      expect(actual).toEqual(expected);
    });
  });

  describe('when a binary was built by go build from a git checkout', () => {
    it('reports the toolchain as stdlib, the main module and every dependency', async () => {
      expect(await packages('modules')).toEqual([
        { type: 'golang', name: 'stdlib', version: 'v1.19.8' },
        {
          type: 'golang',
          namespace: 'example.com',
          name: 'app',
          version: 'v0.0.0-20240506070809-184696b86139',
        },
        { type: 'golang', namespace: 'example.com', name: 'lib', version: 'v1.2.3' },
        { type: 'golang', namespace: 'example.com', name: 'local', version: '' },
        { type: 'golang', namespace: 'example.com', name: 'new', version: 'v1.1.0' },
      ]);
    });
  });

  describe('when the binary is stripped and its section table is gone', () => {
    it('finds the build info in the writable segment, as Go does', async () => {
      expect(await packages('stripped')).toEqual(await packages('modules'));
    });
  });

  describe('when a binary is stripped with -s -w (the function table stays)', () => {
    const facts = async (path: string): Promise<GoBinaryFacts> => {
      const { actual } = await goldenCase(goAnalyzer, 'go', 'functions');
      return actual.find((r) => r.path === path)!.result.goBinary!;
    };
    const functions = async (path: string) => FunctionSet.decode((await facts(path)).functions!)!;

    it.each([
      ['usr/local/bin/small', 'linux', 'amd64'],
      ['app/small.exe', 'windows', 'arm64'],
      ['opt/darwin/small', 'darwin', 'arm64'],
    ])('reads %s as built for %s/%s, from its build info', async (path, goos, goarch) => {
      expect(await facts(path)).toMatchObject({
        goos,
        goarch,
        platformFrom: 'build-info',
        mainPackage: 'example.com/small',
      });
    });

    it.each(['usr/local/bin/small', 'app/small.exe', 'opt/darwin/small'])(
      'knows which packages and functions %s holds',
      async (path) => {
        const set = await functions(path);
        expect(['net/url', 'path/filepath', 'os', 'main'].map((p) => set.hasPackage(p))).toEqual([
          true,
          true,
          true,
          true,
        ]);
        expect(['net/http', 'crypto/tls', 'encoding/json'].some((p) => set.hasPackage(p))).toBe(
          false,
        );
        expect(set.hasSymbol('net/url', 'Parse')).toBe(true);
        expect(set.hasSymbol('net/url', 'URL.setPath')).toBe(true); // (*URL).setPath
        expect(set.hasSymbol('path/filepath', 'Clean')).toBe(true);
        expect(set.hasSymbol('path/filepath', 'Abs')).toBe(false);
        expect(set.hasSymbol('path/filepath', 'EvalSymlinks')).toBe(false);
      },
    );

    it('counts functions inlined into others, which have no symbol of their own', async () => {
      // errors.New is inlined everywhere in this program: only the inline tree names it.
      expect((await functions('usr/local/bin/small')).hasSymbol('errors', 'New')).toBe(true);
    });

    it('finds the table without a section table too (sstrip)', async () => {
      const { actual } = await goldenCase(goAnalyzer, 'go', 'stripped');
      const set = FunctionSet.decode(actual[0]!.result.goBinary!.functions!)!;
      expect(set.hasSymbol('main', 'main')).toBe(true);
      expect(set.hasSymbol('os', 'File.Write')).toBe(true);
    });

    it('has no name for a function inlined down to no instruction: absent is no proof', async () => {
      // example.com/lib.Name returns a constant; inlined into main.main, no code of it is left,
      // so neither it nor its package is named, though the module is compiled in.
      const { actual } = await goldenCase(goAnalyzer, 'go', 'stripped');
      const set = FunctionSet.decode(actual[0]!.result.goBinary!.functions!)!;
      expect(set.hasPackage('example.com/lib')).toBe(false);
    });
  });

  describe('when the executable is not a Go binary', () => {
    it.each(['not-go', 'empty'])('finds nothing and reports nothing in %s', async (name) => {
      const { actual } = await goldenCase(goAnalyzer, 'go', name);
      expect(actual.every((r) => Object.keys(r.result).length === 0)).toBe(true);
    });
  });

  describe('when the build info predates Go 1.18 (pointers to strings)', () => {
    /** The header points at two string headers in .data, which point at bytes in .rodata. */
    function pointerBuildInfo(is64: boolean, littleEndian: boolean): Buffer {
      const size = is64 ? 8 : 4;
      const rodata = 0x1000;
      const data = 0x2000;
      const version = Buffer.from('go1.16.15');
      const text = Buffer.from(
        modinfo('path\tx.io/cmd\nmod\tx.io/cmd\tv1.0.0\t\ndep\tx.io/dep\tv0.2.0\th1:x='),
      );
      const put = (buffer: Buffer, at: number, value: number) => {
        if (size === 4) {
          if (littleEndian) buffer.writeUInt32LE(value, at);
          else buffer.writeUInt32BE(value, at);
        } else if (littleEndian) buffer.writeBigUInt64LE(BigInt(value), at);
        else buffer.writeBigUInt64BE(BigInt(value), at);
      };
      const headers = Buffer.alloc(4 * size);
      put(headers, 0, rodata);
      put(headers, size, version.length);
      put(headers, 2 * size, rodata + version.length);
      put(headers, 3 * size, text.length);
      const header = Buffer.alloc(32);
      header.write(MAGIC, 'latin1');
      header[14] = size;
      header[15] = littleEndian ? 0 : 1;
      put(header, 16, data);
      put(header, 16 + size, data + 2 * size);
      return buildElf({
        is64,
        littleEndian,
        sections: [
          { name: '.rodata', data: Buffer.concat([version, text]), addr: rodata },
          { name: '.go.buildinfo', data: header, addr: 0x3000, writable: true },
          { name: '.data', data: headers, addr: data, writable: true },
        ],
      });
    }

    it.each([
      ['64-bit little-endian', true, true],
      ['32-bit big-endian', false, false],
    ])('follows the pointers in a %s binary', async (_, is64, littleEndian) => {
      expect(await analyze(pointerBuildInfo(is64, littleEndian))).toEqual({
        packages: [
          { type: 'golang', name: 'stdlib', version: 'v1.16.15' },
          { type: 'golang', namespace: 'x.io', name: 'cmd', version: 'v1.0.0' },
          { type: 'golang', namespace: 'x.io', name: 'dep', version: 'v0.2.0' },
        ],
        problems: [],
        goBinary: {
          goarch: is64 ? 'amd64' : 'mips',
          platformFrom: 'headers',
          mainPackage: 'x.io/cmd',
          functionsUnread: 'no function table found',
        },
      });
    });
  });

  describe('when reading the Go version', () => {
    it.each([
      ['go1.22.5', 'v1.22.5'],
      ['go1.21', 'v1.21.0'],
      ['go1.23rc2', 'v1.23.0-rc.2'],
      ['go1.20.14 X:boringcrypto', 'v1.20.14'],
    ])('%s is stdlib %s', async (goVersion, version) => {
      const elf = buildElf({
        sections: [{ name: '.go.buildinfo', data: inlineBuildInfo(goVersion, '') }],
      });
      expect((await analyze(elf)).packages).toEqual([{ type: 'golang', name: 'stdlib', version }]);
    });

    it('leaves stdlib out for a development toolchain it cannot place', async () => {
      const info = inlineBuildInfo('devel go1.24-abcdef Tue', 'mod\tx.io/a\tv1.0.0\t');
      const result = await analyze(buildElf({ sections: [{ name: '.go.buildinfo', data: info }] }));
      expect(result.packages).toEqual([
        { type: 'golang', namespace: 'x.io', name: 'a', version: 'v1.0.0' },
      ]);
    });
  });

  describe('when the main module says (devel)', () => {
    it('has no version without a VCS stamp', async () => {
      const info = inlineBuildInfo(
        'go1.22.0',
        'path\tx.io/a\nmod\tx.io/a\t(devel)\t\nbuild\t-compiler=gc',
      );
      const result = await analyze(buildElf({ sections: [{ name: '.go.buildinfo', data: info }] }));
      expect(result.packages?.[1]).toEqual({
        type: 'golang',
        namespace: 'x.io',
        name: 'a',
        version: '',
      });
    });
  });

  describe('when the build info is damaged', () => {
    it('reports a binary cut short, whose headers point past its end', async () => {
      const info = inlineBuildInfo('go1.22.0', 'mod\tx.io/a\tv1.0.0\t'.repeat(20));
      const elf = buildElf({ sections: [{ name: '.go.buildinfo', data: info }] });
      const cut = elf.subarray(0, elf.indexOf('x.io/a') + 10);
      expect(await analyze(cut)).toEqual({
        problems: [{ reason: expect.stringMatching(/^unreadable ELF headers: .*past the end/) }],
      });
    });

    it.each([
      ['PE', 'app/small.exe', 'unreadable PE headers: PE optional header'],
      ['Mach-O', 'opt/darwin/small', 'unreadable Mach-O headers: Mach-O load commands'],
    ])('reports a %s binary cut inside its headers', async (_, path, reason) => {
      const bytes = readFileSync(join(FIXTURES, 'go', 'functions', path));
      const cut = bytes.subarray(0, path.endsWith('.exe') ? 200 : 100);
      expect(await analyze(cut)).toEqual({
        problems: [{ reason: expect.stringContaining(reason) }],
      });
    });

    it('says why when the function table is damaged, and keeps the modules', async () => {
      const bytes = Buffer.from(
        readFileSync(join(FIXTURES, 'go', 'functions', 'usr/local/bin/small')),
      );
      const magic = Buffer.from([0xf0, 0xff, 0xff, 0xff, 0, 0]);
      bytes.fill(0, bytes.indexOf(magic), bytes.indexOf(magic) + 4);
      const result = await analyze(bytes);
      expect(result.packages).toHaveLength(2);
      expect(result.goBinary).toMatchObject({
        goos: 'linux',
        functionsUnread: 'the function table section has no header Go writes',
      });
      expect(result.goBinary?.functions).toBeUndefined();
    });

    it('names the old function table layout (Go 1.2–1.15) it does not read', async () => {
      const header = Buffer.alloc(16);
      header.writeUInt32LE(0xfffffffb, 0);
      header[6] = 1;
      header[7] = 8;
      header.writeBigUInt64LE(1n, 8);
      const info = inlineBuildInfo('go1.15.15', 'path\tx.io/a\nmod\tx.io/a\tv1.0.0\t');
      const elf = buildElf({
        sections: [
          { name: '.go.buildinfo', data: info },
          { name: '.gopclntab', data: header },
        ],
      });
      expect((await analyze(elf)).goBinary?.functionsUnread).toBe(
        'the function table is of Go 1.2–1.15, whose names this version does not read',
      );
    });

    it('reports a string length past the bound instead of reading it', async () => {
      const info = inlineBuildInfo('go1.22.0', '');
      info.writeUInt32LE(0xffffffff, 32); // the version's varint length: 5 bytes of 0xff…
      const result = await analyze(buildElf({ sections: [{ name: '.go.buildinfo', data: info }] }));
      expect(result.problems?.[0]?.reason).toMatch(/^Go build info: bad string length|string of/);
    });

    it('reports module lines that make no sense and keeps the rest', async () => {
      const info = inlineBuildInfo(
        'go1.22.0',
        '=>\tx.io/b\tv1\t\ndep\t\tv1\t\ndep\tx.io/c\tv1.0.0\t',
      );
      const result = await analyze(buildElf({ sections: [{ name: '.go.buildinfo', data: info }] }));
      expect(result.packages).toHaveLength(2);
      expect(result.problems).toEqual([
        { reason: 'Go build info line 1: a replacement of nothing' },
        { reason: 'Go build info line 2: dep without a module path' },
      ]);
    });

    it('reports a pointer into no loaded segment', async () => {
      const header = Buffer.alloc(32);
      header.write(MAGIC, 'latin1');
      header[14] = 8;
      header.writeBigUInt64LE(0xdead0000n, 16);
      const elf = buildElf({ sections: [{ name: '.go.buildinfo', data: header, addr: 0x1000 }] });
      expect((await analyze(elf)).problems).toEqual([
        { reason: 'Go build info: address 0xdead0000 is in no loaded segment' },
      ]);
    });
  });
});
