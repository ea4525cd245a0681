import { gemAnalyzer } from '../../shared/analyzers/gem';
import { analyzerFile, fixtureCases, goldenCase, REGULAR_FILE } from '../support/analyzer-fixtures';

const found = async (name: string) => (await goldenCase(gemAnalyzer, 'gem', name)).actual;
const packages = async (name: string) =>
  (await found(name)).flatMap((r) => r.result.packages ?? []);

describe('gemAnalyzer', () => {
  describe('wants', () => {
    it.each([
      ['usr/local/bundle/specifications/rails-7.1.3.gemspec', true],
      ['var/lib/gems/3.1.0/specifications/rack-2.2.8.gemspec', true],
      ['usr/local/lib/ruby/gems/3.3.0/specifications/default/json-2.7.1.gemspec', true],
      ['specifications/rake-13.1.0.gemspec', true],
      ['usr/local/bundle/gems/rails-7.1.3/rails.gemspec', false],
      ['usr/src/app/my-app.gemspec', false],
      ['usr/local/bundle/specifications/rails-7.1.3.gemspec.bak', false],
      ['usr/local/bundle/specifications/other/rails-7.1.3.gemspec', false],
      ['usr/local/bundle/cache/rails-7.1.3.gem', false],
      ['usr/local/bundle/myspecifications/rails-7.1.3.gemspec', false],
    ])('%s → %s', (path, wanted) => {
      expect(gemAnalyzer.wants(path, REGULAR_FILE)).toBe(wanted);
    });
  });

  describe('when run over the fixture directories', () => {
    it.each(fixtureCases('gem'))('finds what %s/expected.json says', async (name) => {
      const { actual, expected } = await goldenCase(gemAnalyzer, 'gem', name);
      expect(actual).toEqual(expected);
    });
  });

  describe('when rubygems 3.x wrote the specification', () => {
    it('reads name, version, licences and runtime dependencies', async () => {
      expect(await packages('single')).toEqual([
        {
          type: 'gem',
          name: 'rails',
          version: '7.1.3',
          licenses: ['MIT'],
          dependencies: [
            'actionpack',
            'actionview',
            'activerecord',
            'activesupport',
            'bundler',
            'railties',
          ],
        },
      ]);
    });
  });

  describe('when there are several gem homes, default gems and platform gems', () => {
    it('reads each, with the platform as a qualifier and no development dependencies', async () => {
      expect(
        (await packages('multiple')).map((p) => [p.name, p.version, p.qualifiers, p.dependencies]),
      ).toEqual([
        ['json', '2.6.1', undefined, undefined],
        ['nokogiri', '1.16.2', { platform: 'x86_64-linux' }, ['racc']],
        ['rack', '2.2.8', undefined, undefined],
      ]);
    });
  });

  describe('when an older rubygems wrote the specification', () => {
    it('reads Gem::Version.new, %q{} strings and `s.license`, skipping the fallback branches', async () => {
      expect(
        (await packages('gem-version')).map((p) => [p.name, p.version, p.licenses, p.dependencies]),
      ).toEqual([
        ['rake', '0.8.7', ['MIT'], ['rubyforge']],
        ['thor', '1.3.0', ['MIT'], ['bundler']],
      ]);
    });
  });

  describe('when the body names no gem', () => {
    it('takes name, version and platform from the file name', async () => {
      expect(await packages('filename-fallback')).toEqual([
        { type: 'gem', name: 'net-http', version: '0.4.1' },
        {
          type: 'gem',
          name: 'sassc',
          version: '2.4.0',
          licenses: ['MIT'],
          dependencies: ['ffi'],
          qualifiers: { platform: 'x86_64-linux' },
        },
      ]);
    });

    it('reads an empty specification from its file name', async () => {
      expect((await found('empty'))[0]!.result).toEqual({
        packages: [{ type: 'gem', name: 'bigdecimal', version: '3.1.6' }],
        problems: [],
      });
    });
  });

  describe('failures', () => {
    it('reports a problem when neither the body nor the file name names the gem', async () => {
      expect((await found('corrupt')).map((r) => r.result)).toEqual([
        {
          packages: [],
          problems: [{ reason: 'no gem name or version in the body or the file name' }],
        },
        {
          packages: [],
          problems: [{ reason: 'no gem name or version in the body or the file name' }],
        },
      ]);
    });

    it('reports a problem when the file was cut at the read limit', async () => {
      const result = await gemAnalyzer.analyze(
        analyzerFile(
          'specifications/a-1.0.gemspec',
          Buffer.from(
            'Gem::Specification.new do |s|\n  s.name = "a"\n  s.version = "1.0"\n  s.lic',
          ),
          true,
        ),
      );
      expect(result).toEqual({
        packages: [{ type: 'gem', name: 'a', version: '1.0' }],
        problems: [{ reason: 'the file is larger than the read limit; it was not read whole' }],
      });
    });
  });
});
