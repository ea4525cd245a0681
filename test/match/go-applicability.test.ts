import { FunctionSetBuilder } from '../../shared/analyzers/go-functions';
import { goApplicability, type GoBinary } from '../../shared/match/go-applicability';
import type { GoImport } from '../../shared/osv/record';
import { join } from 'node:path';
import { matchInventory } from '../../shared/match/match';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { GO_LAYER, GO_OSV, goFixtureBinary, matchGoFixtures } from '../support/go-findings';
import { useTempDir } from '../support/temp';

const LAYER = GO_LAYER;

describe('Go findings in binaries', () => {
  const dir = useTempDir();

  async function findings(paths: string[], platform = 'linux/amd64') {
    const result = await matchGoFixtures(dir(), paths, platform);
    return result.findings.map((f) => ({
      id: f.id,
      path: f.path,
      suppressedBy: f.suppressedBy?.kind ?? null,
      ...f.applicability,
    }));
  }

  describe('when the binary is a linux/amd64 program using path/filepath and net/url', () => {
    it('judges each advisory by platform, package and function', async () => {
      const found = await findings(['usr/local/bin/small']);
      const byId = new Map(found.map((f) => [f.id, f]));
      expect(byId.get('GO-2023-2185')).toMatchObject({
        status: 'not-applicable',
        suppressedBy: 'not-applicable',
        reason: 'affects windows only; the binary is linux/amd64',
        platform: 'linux/amd64',
      });
      expect(byId.get('GO-2023-2186')).toMatchObject({
        status: 'applicable',
        suppressedBy: null,
        packages: 'linked',
        symbols: 'absent',
      });
      expect(byId.get('GO-2023-1840')).toMatchObject({
        status: 'applicable',
        packages: 'linked',
        symbols: 'present',
        reason: 'runtime is linked, and affected as a whole',
      });
      expect(byId.get('GO-2023-1878')).toMatchObject({
        status: 'applicable',
        suppressedBy: null,
        packages: 'not-linked',
        symbols: 'absent',
      });
    });

    it('leaves the Go tools’ own advisories (module toolchain) out', async () => {
      expect((await findings(['usr/local/bin/small'])).map((f) => f.id)).not.toContain(
        'GO-2023-1839',
      );
    });
  });

  describe('when the binary is one of the Go tools (build info path cmd/go)', () => {
    it('matches the toolchain’s advisories under its standard library version', async () => {
      const { stdlib, facts } = await goFixtureBinary('usr/local/bin/small');
      const store = LocalStore.open(join(dir(), 'db'), { create: true });
      try {
        await importOsv(store, [GO_OSV]);
        const result = await matchInventory({ os: null, packages: [stdlib], problems: [] }, store, {
          goBinaries: [{ ...facts, mainPackage: 'cmd/go' }],
        });
        expect(result.findings.find((f) => f.id === 'GO-2023-1839')).toMatchObject({
          package: 'stdlib',
          installedVersion: 'v1.19.8',
          fixedVersion: '1.19.10',
          suppressedBy: null,
          applicability: { status: 'applicable', packages: 'linked', symbols: 'present' },
        });
        expect(result.ecosystems).toEqual({ Go: 1 });
      } finally {
        store.close();
      }
    });
  });

  describe('when the binary is a windows/arm64 program (PE) in the same image', () => {
    it('judges it by its own platform, not the image’s', async () => {
      const found = await findings(['app/small.exe']);
      expect(found.find((f) => f.id === 'GO-2023-2185')).toMatchObject({
        status: 'applicable',
        suppressedBy: null,
        platform: 'windows/arm64',
        symbols: 'present',
        // volumeNameLen is Windows code: it is in this binary, not in the Linux one.
        functions: [
          'path/filepath.Clean',
          'path/filepath.Join',
          'path/filepath.join',
          'path/filepath.volumeNameLen',
        ],
      });
    });
  });
});

describe('goApplicability', () => {
  const facts = (names: string[], extra: Partial<GoBinary> = {}): GoBinary => {
    const builder = new FunctionSetBuilder();
    for (const name of names) builder.add(name);
    return {
      path: 'usr/bin/x',
      layer: LAYER,
      goos: 'linux',
      goarch: 'amd64',
      platformFrom: 'build-info',
      mainPackage: 'example.com/x',
      functions: builder.encode(),
      ...extra,
    };
  };
  const of = (imports: GoImport[] | undefined, binary?: GoBinary, platform?: string) =>
    goApplicability(imports ? { imports } : {}, binary, platform);

  describe('when the advisory names no package', () => {
    it('applies, the whole module affected', () => {
      expect(of(undefined, facts([]))).toEqual({
        status: 'applicable',
        reason: 'the advisory names the whole module',
        platform: 'linux/amd64',
        packages: 'unknown',
        symbols: 'unknown',
      });
    });
  });

  describe('when every package is one of the Go tools (cmd/…)', () => {
    const imports = [{ path: 'cmd/go' }, { path: 'cmd/go/internal/vcs', symbols: ['Run'] }];

    it('does not apply to a program built with Go', () => {
      expect(of(imports, facts(['main.main']))).toMatchObject({
        status: 'not-applicable',
        reason: 'concerns the Go tools (cmd/go, cmd/go/internal/vcs), not programs built with them',
      });
    });

    it('applies to the go command itself, whose package is main', () => {
      const go = facts(['main.main', 'main.init'], { mainPackage: 'cmd/go' });
      expect(of(imports, go)).toMatchObject({ status: 'applicable', symbols: 'present' });
    });
  });

  describe('when the binary’s platform is not known', () => {
    it('takes the image’s', () => {
      const binary = facts([], { goos: undefined, goarch: undefined, platformFrom: undefined });
      expect(of([{ path: 'os', goos: ['windows'] }], binary, 'linux/arm64/v8')).toMatchObject({
        status: 'not-applicable',
        reason: 'affects windows only; the binary is linux/arm64',
      });
    });

    it('never rules a finding out when the image’s is not known either', () => {
      const binary = facts([], { goos: undefined, goarch: undefined });
      expect(of([{ path: 'os', goos: ['windows'] }], binary).status).toBe('applicable');
    });
  });

  describe('when an import is limited by architecture', () => {
    it('names the platforms it affects', () => {
      expect(
        of([{ path: 'crypto/x', goos: ['linux'], goarch: ['386', 'arm'] }], facts([])).reason,
      ).toBe('affects linux on 386, arm only; the binary is linux/amd64');
    });
  });

  describe('when the function table was not read', () => {
    it('says so, and leaves symbols unknown', () => {
      const binary = facts([], {
        functions: undefined,
        functionsUnread: 'no function table found',
      });
      expect(of([{ path: 'net/http', symbols: ['Get'] }], binary)).toEqual({
        status: 'applicable',
        platform: 'linux/amd64',
        packages: 'unknown',
        symbols: 'unknown',
        reason:
          "the binary's function table was not read (no function table found): net/http may be linked",
      });
    });
  });

  describe('when there are no facts of the binary (a report of an older version)', () => {
    it('rules nothing out: not the platform, not the Go tools', () => {
      expect(of([{ path: 'os', goos: ['windows'] }], undefined, 'linux/amd64')).toMatchObject({
        status: 'applicable',
        platform: 'unknown/unknown',
        symbols: 'unknown',
      });
      expect(of([{ path: 'cmd/go' }], undefined, 'linux/amd64').status).toBe('applicable');
    });
  });
});
