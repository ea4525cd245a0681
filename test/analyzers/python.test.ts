import { normalizePythonName, pythonAnalyzer } from '../../shared/analyzers/python';
import { analyzerFile, fixtureCases, goldenCase, REGULAR_FILE } from '../support/analyzer-fixtures';

const SP = 'usr/local/lib/python3.12/site-packages';
const found = async (name: string) => (await goldenCase(pythonAnalyzer, 'python', name)).actual;
const packages = async (name: string) =>
  (await found(name)).flatMap((r) => r.result.packages ?? []);

describe('pythonAnalyzer', () => {
  describe('wants', () => {
    it.each([
      [`${SP}/requests-2.31.0.dist-info/METADATA`, true],
      [`${SP}/PyYAML-5.4.1.egg-info/PKG-INFO`, true],
      ['usr/lib/python3/dist-packages/six-1.16.0.egg-info', true],
      ['opt/venv/lib/python3.11/site-packages/idna-3.6.dist-info/METADATA', true],
      [`${SP}/requests-2.31.0.dist-info/RECORD`, false],
      [`${SP}/requests-2.31.0.dist-info/WHEEL`, false],
      [`${SP}/requests-2.31.0.dist-info/METADATA.bak`, false],
      [`${SP}/requests-2.31.0.dist-info/sub/METADATA`, false],
      [`${SP}/PyYAML-5.4.1.egg-info/top_level.txt`, false],
      [`${SP}/requests/METADATA`, false],
      [`${SP}/PKG-INFO`, false],
      ['usr/src/app/PKG-INFO', false],
      [`${SP}/six-1.16.0.egg-info.txt`, false],
    ])('%s → %s', (path, wanted) => {
      expect(pythonAnalyzer.wants(path, REGULAR_FILE)).toBe(wanted);
    });
  });

  describe('when run over the fixture directories', () => {
    it.each(fixtureCases('python'))('finds what %s/expected.json says', async (name) => {
      const { actual, expected } = await goldenCase(pythonAnalyzer, 'python', name);
      expect(actual).toEqual(expected);
    });
  });

  describe('when a wheel is installed', () => {
    it('reads the header block only, with every Requires-Dist name', async () => {
      expect(await packages('single')).toEqual([
        {
          type: 'pypi',
          name: 'requests',
          version: '2.31.0',
          licenses: ['Apache 2.0'],
          dependencies: ['certifi', 'chardet', 'charset-normalizer', 'idna', 'pysocks', 'urllib3'],
          supplier: 'Kenneth Reitz',
        },
      ]);
    });
  });

  describe('when a name is not normalised', () => {
    it.each([
      ['Foo_Bar.baz', 'foo-bar-baz'],
      ['PyYAML', 'pyyaml'],
      ['zope.interface', 'zope-interface'],
      ['a__-.b', 'a-b'],
    ])('normalises %s to %s', (name, normalised) => {
      expect(normalizePythonName(name)).toBe(normalised);
    });

    it('normalises package and dependency names as PEP 503 says', async () => {
      expect((await packages('pep503')).map((p) => [p.name, p.dependencies])).toEqual([
        ['foo-bar-baz', ['typing-extensions', 'zope-interface']],
        ['pyyaml', undefined],
      ]);
    });
  });

  describe('when the distribution is an egg', () => {
    it.each([
      ['egg-info-file', 'six', '1.16.0'],
      ['egg-info-dir', 'pyyaml', '5.4.1'],
    ])('reads the %s form', async (name, pkg, version) => {
      expect(await packages(name)).toEqual([
        expect.objectContaining({ name: pkg, version, licenses: ['MIT'] }),
      ]);
    });
  });

  describe('when headers continue on indented lines', () => {
    it('joins them to the previous header, blank indented lines included', async () => {
      expect((await packages('continuation')).map((p) => [p.name, p.dependencies])).toEqual([
        ['licensetext', undefined],
        ['python-dateutil', ['six']],
      ]);
    });

    it('takes the classifiers when License holds the whole licence text', async () => {
      expect((await packages('continuation'))[0]!.licenses).toEqual(['MIT License']);
    });
  });

  describe('when the licence is declared several ways', () => {
    it('prefers License-Expression, and falls back to classifiers over License: UNKNOWN', async () => {
      expect((await packages('license-expression')).map((p) => [p.name, p.licenses])).toEqual([
        ['attrs', ['MIT OR Apache-2.0']],
        ['legacy', ['GNU General Public License v3 (GPLv3)']],
      ]);
    });
  });

  describe('failures', () => {
    it('reports a problem when METADATA is empty', async () => {
      expect((await found('empty'))[0]!.result).toEqual({
        packages: [],
        problems: [{ reason: 'the metadata has no Name or no Version' }],
      });
    });

    it('reports a problem per bad line, and keeps the package when Name and Version are there', async () => {
      const results = await found('corrupt');
      expect(
        results.map((r) => [r.result.packages?.map((p) => p.name), r.result.problems]),
      ).toEqual([
        [
          [],
          [
            { reason: 'line 1: continuation line without a header' },
            { reason: 'line 4: expected "Header: value", got "this line has no colon"' },
            { reason: 'the metadata has no Name or no Version' },
          ],
        ],
        [['halfway'], [{ reason: 'line 4: expected "Header: value", got ": no field name"' }]],
      ]);
    });

    it('reports a problem when the file was cut at the read limit', async () => {
      const result = await pythonAnalyzer.analyze(
        analyzerFile(
          `${SP}/a-1.dist-info/METADATA`,
          Buffer.from('Name: a\nVersion: 1\nSumm'),
          true,
        ),
      );
      expect(result.packages?.map((p) => p.name)).toEqual(['a']);
      expect(result.problems?.map((p) => p.reason)).toContain(
        'the file is larger than the read limit; it was not read whole',
      );
    });
  });
});
