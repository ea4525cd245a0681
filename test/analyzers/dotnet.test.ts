import { dotnetAnalyzer } from '../../shared/analyzers/dotnet';
import { analyzerFile, fixtureCases, goldenCase, REGULAR_FILE } from '../support/analyzer-fixtures';

const found = async (name: string) => (await goldenCase(dotnetAnalyzer, 'dotnet', name)).actual;
const packages = async (name: string) =>
  (await found(name)).flatMap((r) => r.result.packages ?? []);

describe('dotnetAnalyzer', () => {
  describe('wants', () => {
    it.each([
      ['app/WebApi.deps.json', true],
      ['WebApi.deps.json', true],
      ['usr/share/dotnet/shared/Microsoft.NETCore.App/8.0.1/Microsoft.NETCore.App.deps.json', true],
      ['app/WebApi.runtimeconfig.json', false],
      ['app/WebApi.deps.json.bak', false],
      ['app/deps.json', false],
      ['app/WebApi.dll', false],
      ['app/obj/project.assets.json', false],
    ])('%s → %s', (path, wanted) => {
      expect(dotnetAnalyzer.wants(path, REGULAR_FILE)).toBe(wanted);
    });
  });

  describe('when run over the fixture directories', () => {
    it.each(fixtureCases('dotnet'))('finds what %s/expected.json says', async (name) => {
      const { actual, expected } = await goldenCase(dotnetAnalyzer, 'dotnet', name);
      expect(actual).toEqual(expected);
    });
  });

  describe('when the application uses one package', () => {
    it('reads it from the libraries, without the application project', async () => {
      expect(await packages('single')).toEqual([
        { type: 'nuget', name: 'Newtonsoft.Json', version: '13.0.3' },
      ]);
    });
  });

  describe('when the application is self-contained', () => {
    it('takes dependencies from the runtime target and skips the runtime pack', async () => {
      expect((await packages('multiple')).map((p) => [p.name, p.version, p.dependencies])).toEqual([
        ['Microsoft.AspNetCore.OpenApi', '8.0.1', ['Microsoft.OpenApi']],
        ['Microsoft.OpenApi', '1.4.3', undefined],
        [
          'Swashbuckle.AspNetCore',
          '6.5.0',
          ['Microsoft.Extensions.ApiDescription.Server', 'Swashbuckle.AspNetCore.Swagger'],
        ],
        ['Microsoft.Extensions.ApiDescription.Server', '6.0.5', undefined],
        ['Swashbuckle.AspNetCore.Swagger', '6.5.0', ['Microsoft.OpenApi']],
      ]);
    });
  });

  describe('when libraries are projects or plain references', () => {
    it('reports only the NuGet packages', async () => {
      expect((await packages('project-and-reference')).map((p) => p.name)).toEqual(['Serilog']);
    });
  });

  describe('when there is no runtimeTarget', () => {
    it('takes dependencies from the first target', async () => {
      const deps = {
        targets: { '.NETCoreApp,Version=v8.0': { 'A/1.0.0': { dependencies: { B: '2.0.0' } } } },
        libraries: { 'A/1.0.0': { type: 'package' } },
      };
      const result = await dotnetAnalyzer.analyze(
        analyzerFile('app/x.deps.json', Buffer.from(JSON.stringify(deps))),
      );
      expect(result.packages).toEqual([
        { type: 'nuget', name: 'A', version: '1.0.0', dependencies: ['B'] },
      ]);
    });
  });

  describe('when the application has no packages', () => {
    it('finds nothing and reports nothing', async () => {
      expect((await found('empty'))[0]!.result).toEqual({ packages: [], problems: [] });
    });
  });

  describe('failures', () => {
    it('reports a problem per bad file or library key and keeps the good packages', async () => {
      expect((await found('corrupt')).map((r) => [r.path, r.result])).toEqual([
        [
          'app/BadKey.deps.json',
          {
            packages: [{ type: 'nuget', name: 'Good', version: '1.0.0' }],
            problems: [{ reason: 'library "NoVersion": expected "Name/Version"' }],
          },
        ],
        [
          'app/Cut.deps.json',
          { packages: [], problems: [{ reason: expect.stringMatching(/^invalid JSON: /) }] },
        ],
        [
          'app/NoLibraries.deps.json',
          { packages: [], problems: [{ reason: 'no "libraries" object' }] },
        ],
      ]);
    });

    it('reports a problem when the file was cut at the read limit', async () => {
      const result = await dotnetAnalyzer.analyze(
        analyzerFile('app/x.deps.json', Buffer.from('{"libraries": {"A/1.0'), true),
      );
      expect(result.problems?.map((p) => p.reason)).toEqual([
        'the file is larger than the read limit; it was not read whole',
        expect.stringMatching(/^invalid JSON: /),
      ]);
    });
  });
});
