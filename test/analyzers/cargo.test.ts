import { deflateSync } from 'node:zlib';
import { cargoAnalyzer } from '../../shared/analyzers/cargo';
import { analyzerFile, fixtureCases, goldenCase } from '../support/analyzer-fixtures';
import { buildElf } from '../support/elf-builder';

const withDepV0 = (data: Buffer) =>
  cargoAnalyzer.analyze(
    analyzerFile('usr/bin/tool', buildElf({ sections: [{ name: '.dep-v0', data }] })),
  );
const json = (value: unknown) => deflateSync(Buffer.from(JSON.stringify(value)));

describe('cargoAnalyzer', () => {
  describe('wants', () => {
    it.each([
      [0o755, true],
      [0o644, false],
    ])('a file of mode %o → %s', (mode, wanted) => {
      expect(cargoAnalyzer.wants('usr/bin/tool', { mode, size: 1 })).toBe(wanted);
    });
  });

  describe('when run over the fixture directories', () => {
    it.each(fixtureCases('cargo'))('finds what %s/expected.json says', async (name) => {
      const { actual, expected } = await goldenCase(cargoAnalyzer, 'cargo', name);
      expect(actual).toEqual(expected);
    });
  });

  describe('when the binary was built with cargo auditable', () => {
    it('reports the runtime crates with their dependencies, not the build-time ones', async () => {
      const { actual } = await goldenCase(cargoAnalyzer, 'cargo', 'auditable');
      expect(actual[0]!.result).toEqual({
        packages: [
          {
            type: 'cargo',
            name: 'tool',
            version: '0.3.1',
            dependencies: ['itoa', 'serde', 'serde_derive'],
          },
          { type: 'cargo', name: 'serde', version: '1.0.203', dependencies: ['itoa'] },
          { type: 'cargo', name: 'itoa', version: '1.0.11' },
        ],
        problems: [],
      });
    });
  });

  describe('when the binary carries no dependency list', () => {
    it('finds nothing and reports nothing', async () => {
      const { actual } = await goldenCase(cargoAnalyzer, 'cargo', 'plain');
      expect(actual).toEqual([{ path: 'usr/bin/tool', result: {} }]);
    });
  });

  describe('when the dependency list is damaged', () => {
    it.each([
      ['is not zlib', Buffer.from('garbage'), /^cargo-auditable data: .*(header|check)/i],
      [
        'is not JSON',
        deflateSync(Buffer.from('{"packages": [')),
        /^cargo-auditable data: invalid JSON/,
      ],
      ['has no package list', json({ format: 1 }), /^cargo-auditable data: no packages$/],
    ])('reports a list that %s', async (_, data, reason) => {
      expect(await withDepV0(data)).toEqual({
        problems: [{ reason: expect.stringMatching(reason) }],
      });
    });

    it('reports a list that inflates past 8 MiB instead of inflating it', async () => {
      const bomb = deflateSync(Buffer.alloc(9 * 1024 * 1024, 0x20));
      const result = await withDepV0(bomb);
      expect(result.problems?.[0]?.reason).toMatch(/^cargo-auditable data: .*(buffer|length)/i);
    });

    it('reports an entry without a version and keeps the others', async () => {
      const result = await withDepV0(
        json({ packages: [{ name: 'a' }, { name: 'b', version: '1.0.0' }] }),
      );
      expect(result).toEqual({
        packages: [{ type: 'cargo', name: 'b', version: '1.0.0' }],
        problems: [{ reason: 'cargo-auditable package 1 has no name or version' }],
      });
    });
  });
});
