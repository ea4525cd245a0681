import { composerAnalyzer } from '../../shared/analyzers/composer';
import { analyzerFile, fixtureCases, goldenCase, REGULAR_FILE } from '../support/analyzer-fixtures';

const found = async (name: string) => (await goldenCase(composerAnalyzer, 'composer', name)).actual;
const packages = async (name: string) =>
  (await found(name)).flatMap((r) => r.result.packages ?? []);

describe('composerAnalyzer', () => {
  describe('wants', () => {
    it.each([
      ['var/www/html/vendor/composer/installed.json', true],
      ['vendor/composer/installed.json', true],
      ['app/vendor/composer/installed.json', true],
      ['var/www/html/vendor/composer/installed.php', false],
      ['var/www/html/composer.lock', false],
      ['var/www/html/composer.json', false],
      ['var/www/html/vendor/composer/installed.json.bak', false],
      ['var/www/html/vendor/acme/composer/installed.json', false],
      ['var/www/html/myvendor/composer/installed.json', false],
    ])('%s → %s', (path, wanted) => {
      expect(composerAnalyzer.wants(path, REGULAR_FILE)).toBe(wanted);
    });
  });

  describe('when run over the fixture directories', () => {
    it.each(fixtureCases('composer'))('finds what %s/expected.json says', async (name) => {
      const { actual, expected } = await goldenCase(composerAnalyzer, 'composer', name);
      expect(actual).toEqual(expected);
    });
  });

  describe('when Composer 2 wrote installed.json', () => {
    it('reads vendor as namespace, the version as written, licences and package requirements', async () => {
      expect(await packages('single')).toEqual([
        {
          type: 'composer',
          namespace: 'symfony',
          name: 'console',
          version: 'v5.4.0',
          licenses: ['MIT'],
          dependencies: [
            'symfony/deprecation-contracts',
            'symfony/polyfill-mbstring',
            'symfony/polyfill-php73',
            'symfony/polyfill-php80',
            'symfony/service-contracts',
            'symfony/string',
          ],
          supplier: 'Fabien Potencier',
        },
      ]);
    });

    it('drops platform requirements (php, ext-*, lib-*, composer-runtime-api)', async () => {
      const [guzzle] = await packages('multiple');
      expect(guzzle!.dependencies).toEqual([
        'guzzlehttp/promises',
        'guzzlehttp/psr7',
        'psr/http-client',
        'symfony/deprecation-contracts',
      ]);
    });
  });

  describe('when Composer 1 wrote installed.json', () => {
    it('reads the bare list, and a licence given as a string', async () => {
      expect((await packages('composer-v1')).map((p) => [p.namespace, p.name, p.licenses])).toEqual(
        [
          ['monolog', 'monolog', ['MIT']],
          ['psr', 'log', ['MIT']],
        ],
      );
    });
  });

  describe('when nothing is installed', () => {
    it('finds nothing and reports nothing', async () => {
      expect((await found('empty'))[0]!.result).toEqual({ packages: [], problems: [] });
    });
  });

  describe('failures', () => {
    it('reports a problem per bad file or entry and keeps the good ones', async () => {
      expect((await found('corrupt')).map((r) => r.result)).toEqual([
        { packages: [], problems: [{ reason: expect.stringMatching(/^invalid JSON: /) }] },
        {
          packages: [
            {
              type: 'composer',
              namespace: 'acme',
              name: 'fine',
              version: 'dev-main',
              licenses: ['proprietary'],
            },
          ],
          problems: [
            { reason: 'package 0: no "vendor/name" name or no version' },
            { reason: 'package 1: no "vendor/name" name or no version' },
            { reason: 'package 2: no "vendor/name" name or no version' },
          ],
        },
        {
          packages: [],
          problems: [{ reason: 'expected a list of packages or { "packages": [...] }' }],
        },
      ]);
    });

    it('reports a problem when the file was cut at the read limit', async () => {
      const result = await composerAnalyzer.analyze(
        analyzerFile(
          'vendor/composer/installed.json',
          Buffer.from('{"packages": [{"name": "a/b", "vers'),
          true,
        ),
      );
      expect(result.problems?.map((p) => p.reason)).toEqual([
        'the file is larger than the read limit; it was not read whole',
        expect.stringMatching(/^invalid JSON: /),
      ]);
    });
  });
});
