import { npmAnalyzer } from '../../shared/analyzers/npm';
import { analyzerFile, fixtureCases, goldenCase, REGULAR_FILE } from '../support/analyzer-fixtures';

const found = async (name: string) => (await goldenCase(npmAnalyzer, 'npm', name)).actual;
const packages = async (name: string) =>
  (await found(name)).flatMap((r) => r.result.packages ?? []);
const analyze = (path: string, text: string, truncated = false) =>
  npmAnalyzer.analyze(analyzerFile(path, Buffer.from(text), truncated));

describe('npmAnalyzer', () => {
  describe('wants', () => {
    it.each([
      ['app/node_modules/express/package.json', true],
      ['node_modules/express/package.json', true],
      ['app/node_modules/@babel/core/package.json', true],
      ['app/node_modules/send/node_modules/ms/package.json', true],
      ['app/node_modules/send/node_modules/@types/ms/package.json', true],
      ['usr/share/nodejs/semver/package.json', true],
      ['usr/share/nodejs/@types/node/package.json', true],
      ['usr/lib/x86_64-linux-gnu/nodejs/bufferutil/package.json', true],
      ['usr/lib/nodejs/sqlite3/package.json', true],
      ['srv/app/package-lock.json', true],
      ['package-lock.json', true],
      ['srv/app/npm-shrinkwrap.json', true],
      ['app/node_modules/debug/src/package.json', false],
      ['app/node_modules/@babel/core/lib/package.json', false],
      ['app/node_modules/@babel/package.json', false],
      ['app/node_modules/.bin/package.json', false],
      ['app/node_modules/.package-lock.json', false],
      ['app/node_modules/accepts/npm-shrinkwrap.json', false],
      ['app/node_modules/x/package-lock.json', false],
      ['usr/share/nodejs/lodash-cli/npm-shrinkwrap.json', false],
      ['usr/lib/x86_64-linux-gnu/nodejs/bufferutil/package-lock.json', false],
      ['usr/lib/python3/dist-packages/notebook/static/package-lock.json', false],
      ['usr/local/lib/python3.12/site-packages/jupyterlab/package-lock.json', false],
      ['var/www/html/vendor/acme/widget/package-lock.json', false],
      ['usr/local/bundle/gems/actioncable-7.1.3/package-lock.json', false],
      ['usr/local/bundle/bundler/gems/rails-0123abc/package-lock.json', false],
      ['usr/lib/x86_64-linux-gnu/nodejs/bufferutil/lib/package.json', false],
      ['usr/share/nodejs/semver/functions/package.json', false],
      ['usr/lib/share/nodejs/semver/package.json', false],
      ['srv/app/package.json', false],
      ['app/my_node_modules/x/package.json', false],
      ['srv/app/package-lock.json.bak', false],
    ])('%s → %s', (path, wanted) => {
      expect(npmAnalyzer.wants(path, REGULAR_FILE)).toBe(wanted);
    });
  });

  describe('when run over the fixture directories', () => {
    it.each(fixtureCases('npm'))('finds what %s/expected.json says', async (name) => {
      const { actual, expected } = await goldenCase(npmAnalyzer, 'npm', name);
      expect(actual).toEqual(expected);
    });
  });

  describe('when a package.json is at a package root', () => {
    it('reads name, version, licence and dependency names, not devDependencies', async () => {
      expect(await packages('single')).toEqual([
        {
          type: 'npm',
          name: 'express',
          version: '4.18.2',
          licenses: ['MIT'],
          dependencies: [
            'accepts',
            'array-flatten',
            'body-parser',
            'content-disposition',
            'cookie',
            'debug',
            'qs',
            'send',
          ],
        },
      ]);
    });
  });

  describe('when the package is scoped', () => {
    it('puts the scope in the namespace', async () => {
      expect(await packages('scoped')).toEqual([
        expect.objectContaining({ namespace: '@babel', name: 'core', version: '7.23.9' }),
      ]);
    });
  });

  describe('when packages are nested in node_modules', () => {
    it('reports each installed copy', async () => {
      expect((await packages('nested')).map((p) => [p.namespace, p.name, p.version])).toEqual([
        ['@types', 'ms', '0.7.34'],
        [undefined, 'ms', '2.1.3'],
        [undefined, 'send', '0.18.0'],
      ]);
    });
  });

  describe('when Debian installed the package under usr/share/nodejs', () => {
    it('reads it like one in node_modules', async () => {
      expect((await packages('debian')).map((p) => [p.namespace, p.name, p.version])).toEqual([
        ['@types', 'node', '18.13.0'],
        [undefined, 'semver', '7.3.8'],
      ]);
    });
  });

  describe('when a Debian package ships an npm-shrinkwrap.json (node-lodash 4.17.21+dfsg-9+deb12u1)', () => {
    it('reads the installed package.json files and not the shrinkwrap, which installed nothing', async () => {
      const results = await found('debian-shrinkwrap');
      expect(results.map((r) => r.path)).toEqual([
        'usr/share/nodejs/lodash/package.json',
        'usr/share/nodejs/lodash-cli/package.json',
      ]);
    });
  });

  describe('when the licence uses a deprecated form', () => {
    it('reads `{ type }` and `licenses: [{ type }]`', async () => {
      expect((await packages('licence-object')).map((p) => [p.name, p.licenses])).toEqual([
        ['buffer-crc32', ['MIT']],
        ['json-schema', ['AFLv2.1', 'BSD']],
      ]);
    });
  });

  describe('when the application has a v1 lockfile', () => {
    it('walks the dependency tree, with `requires` as dependencies, skipping linked ones', async () => {
      const results = await found('lockfile-v1');
      expect(results.map((r) => r.path)).toEqual(['srv/app/package-lock.json']);
      expect((await packages('lockfile-v1')).map((p) => `${p.name}@${p.version}`)).toEqual([
        'legacy-app@1.0.0',
        'accepts@1.3.8',
        'mime-types@2.1.35',
        'mime-db@1.52.0',
        'negotiator@0.6.3',
        'send@0.18.0',
        'ms@2.1.3',
        'ms@2.0.0',
      ]);
      expect((await packages('lockfile-v1'))[1]!.dependencies).toEqual([
        'mime-types',
        'negotiator',
      ]);
    });
  });

  describe('when the application has a v3 lockfile', () => {
    it('reads the root and every node_modules entry, skipping links, workspace folders and dev-only entries', async () => {
      const found = await packages('lockfile-v3');
      expect(found.map((p) => [p.namespace, p.name, p.version])).toEqual([
        [undefined, 'web-app', '2.4.0'],
        [undefined, 'express', '4.18.2'],
        [undefined, 'debug', '2.6.9'],
        [undefined, 'ms', '2.0.0'],
        [undefined, 'send', '0.18.0'],
        [undefined, 'ms', '2.1.3'],
        [undefined, 'lodash-es', '4.17.21'],
      ]);
    });
  });

  describe('when a lockfile marks entries dev-only', () => {
    it.each([
      [
        'v3',
        {
          lockfileVersion: 3,
          packages: {
            'node_modules/jest': { version: '29.7.0', dev: true },
            'node_modules/fsevents': { version: '2.3.3', devOptional: true },
          },
        },
      ],
      [
        'v1',
        {
          lockfileVersion: 1,
          dependencies: {
            jest: { version: '29.7.0', dev: true },
            fsevents: { version: '2.3.3', devOptional: true },
          },
        },
      ],
    ])('leaves out the dev ones of a %s lockfile, keeping devOptional ones', async (_v, lock) => {
      const result = await analyze('srv/app/package-lock.json', JSON.stringify(lock));
      expect(result.packages).toEqual([{ type: 'npm', name: 'fsevents', version: '2.3.3' }]);
    });
  });

  describe('when a lockfile lists the same package twice', () => {
    it('reports it once', async () => {
      const lock = {
        lockfileVersion: 3,
        packages: {
          'node_modules/a/node_modules/ms': { version: '2.1.3' },
          'node_modules/b/node_modules/ms': { version: '2.1.3' },
        },
      };
      const result = await analyze('package-lock.json', JSON.stringify(lock));
      expect(result.packages).toEqual([{ type: 'npm', name: 'ms', version: '2.1.3' }]);
    });
  });

  describe('failures', () => {
    it('reports a problem when package.json is empty', async () => {
      expect((await found('empty'))[0]!.result).toEqual({
        packages: [],
        problems: [{ reason: expect.stringMatching(/^invalid JSON: /) }],
      });
    });

    it('reports a problem when package.json is corrupt, has no version or is not an object', async () => {
      const results = await found('corrupt');
      expect(results.map((r) => [r.path, r.result.problems?.map((p) => p.reason)])).toEqual([
        ['app/node_modules/broken/package.json', [expect.stringMatching(/^invalid JSON: /)]],
        ['app/node_modules/listed/package.json', ['expected a JSON object']],
        ['app/node_modules/no-version/package.json', ['package.json has no name or no version']],
      ]);
    });

    it('reports a problem when the file was cut at the read limit', async () => {
      const result = await analyze('node_modules/a/package.json', '{"name": "a", "vers', true);
      expect(result.problems?.map((p) => p.reason)).toEqual([
        'the file is larger than the read limit; it was not read whole',
        expect.stringMatching(/^invalid JSON: /),
      ]);
    });
  });
});
