import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Inventory, Package } from '../../shared/inventory/package';
import { purlOf } from '../../shared/inventory/purl';
import { matchInventory } from '../../shared/match/match';
import type { PackageType } from '../../shared/analyzers/analyzer';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { useTempDir } from '../support/temp';

const OSV = join(__dirname, '..', 'fixtures', 'osv', 'valid');
const LAYER = `sha256:${'a'.repeat(64)}` as const;
const DEBIAN = { id: 'debian', versionId: '12' };

function pkg(
  type: PackageType,
  fullName: string,
  version: string,
  extra: Partial<Package> & { namespace?: string } = {},
): Package {
  const slash = fullName.lastIndexOf(type === 'maven' ? ':' : '/');
  const namespace = slash > 0 ? fullName.slice(0, slash) : undefined;
  const name = slash > 0 ? fullName.slice(slash + 1) : fullName;
  return {
    name: fullName,
    version,
    type,
    purl: purlOf({ type, name, version, ...(namespace && { namespace }) }, DEBIAN),
    source: null,
    licenses: [],
    layer: LAYER,
    path: 'var/lib/dpkg/status',
    ownedBy: null,
    dependencies: [],
    supplier: null,
    ...extra,
  };
}

const inventory = (packages: Package[]): Inventory => ({
  os: { ...DEBIAN, versionCodename: null, prettyName: null, eol: false, eolDate: null },
  packages,
  problems: [],
});

describe('matchInventory', () => {
  const dir = useTempDir();

  async function match(packages: Package[], detection?: 'precise' | 'comprehensive') {
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    try {
      await importOsv(store, [OSV]);
      return await matchInventory(inventory(packages), store, detection ? { detection } : {});
    } finally {
      store.close();
    }
  }
  const summary = (
    findings: readonly {
      id: string;
      package: string;
      fixedVersion: string | null;
      status: string;
    }[],
  ) => findings.map((f) => [f.package, f.id, f.fixedVersion, f.status]);

  describe('when Debian packages are installed', () => {
    it('matches advisories by source package and source version, fixed and unfixed', async () => {
      const libssl = pkg('deb', 'libssl3', '3.0.11-1~deb12u1', {
        source: { name: 'openssl', version: '3.0.11-1~deb12u1' },
      });
      const { findings, problems } = await match([libssl]);
      expect(summary(findings)).toEqual([
        ['libssl3', 'DEBIAN-CVE-2024-2511', null, 'not-fixed'],
        ['libssl3', 'DSA-5532-1', '3.0.11-1~deb12u2', 'fixed'],
      ]);
      expect(findings[1]).toMatchObject({
        aliases: ['CVE-2023-5363'],
        installedVersion: '3.0.11-1~deb12u1',
        source: 'OSV:Debian:12',
        layer: LAYER,
        severity: 'UNKNOWN',
      });
      expect(problems).toEqual([]);
    });

    it('reports nothing fixed for a package at the fixed version', async () => {
      const { findings } = await match([pkg('deb', 'openssl', '3.0.11-1~deb12u2')]);
      expect(findings.map((f) => f.id)).toEqual(['DEBIAN-CVE-2024-2511']);
    });
  });

  describe('when language packages are installed', () => {
    it('matches each ecosystem with its own version scheme', async () => {
      const { findings, problems } = await match([
        pkg('npm', 'semver', '7.5.1'),
        pkg('npm', 'semver', '7.5.2'),
        pkg('golang', 'golang.org/x/net', 'v0.22.0'),
        pkg('maven', 'org.apache.logging.log4j:log4j-core', '2.14.1'),
        pkg('maven', 'org.apache.logging.log4j:log4j-core', '2.12.1'),
        pkg('gem', 'rack', '2.2.8'),
        pkg('composer', 'monolog/monolog', '1.0.1'),
        pkg('cargo', 'time', '0.1.0'),
        pkg('pypi', 'requests', '2.31.0'),
      ]);
      expect(summary(findings)).toEqual([
        ['org.apache.logging.log4j:log4j-core', 'GHSA-jfh8-c2jp-5v3q', null, 'not-fixed'],
        ['org.apache.logging.log4j:log4j-core', 'GHSA-jfh8-c2jp-5v3q', '2.15.0', 'fixed'],
        ['semver', 'GHSA-c2qf-rxjj-qqgw', '7.5.2', 'fixed'],
        ['golang.org/x/net', 'GO-2024-2687', '0.23.0', 'fixed'],
        ['monolog/monolog', 'GHSA-versions-only', null, 'not-fixed'],
        ['rack', 'GHSA-limit-0001', null, 'not-fixed'],
      ]);
      expect(findings[0]).toMatchObject({ severity: 'CRITICAL', cvss: { score: 10 } });
      expect(findings[2]).toMatchObject({ severity: 'HIGH', cvss: { score: 7.5 } });
      expect(problems).toEqual([]);
    });

    it('reports a version its scheme cannot parse as a problem, not as unaffected', async () => {
      const { findings, problems } = await match([pkg('npm', 'semver', 'not-a-version')]);
      expect(findings).toEqual([]);
      expect(problems).toEqual([
        {
          kind: 'version-unparsed',
          ecosystem: 'npm',
          purl: 'pkg:npm/semver@not-a-version',
          packages: 1,
          reason: expect.stringMatching(/not-a-version/),
        },
      ]);
    });
  });

  describe('when apt installed a Python package', () => {
    const owned = pkg('pypi', 'requests', '2.30.0', {
      ownedBy: 'pkg:deb/debian/python3-requests@2.28.1-1?arch=all&distro=debian-12',
    });

    it('leaves it to the distro advisories by default', async () => {
      expect((await match([owned])).findings).toEqual([]);
    });

    it('matches it upstream too with comprehensive detection', async () => {
      expect((await match([owned], 'comprehensive')).findings.map((f) => f.id)).toEqual([
        'PYSEC-2023-74',
      ]);
    });
  });

  describe('when an advisory has no severity of its own', () => {
    it('takes it from another record of the same CVE', async () => {
      writeFileSync(
        join(dir(), 'GHSA-cve-2023-5363.json'),
        JSON.stringify({
          id: 'GHSA-xxxx-5363',
          modified: '2024-01-01T00:00:00Z',
          aliases: ['CVE-2023-5363'],
          severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }],
          affected: [],
        }),
      );
      const store = LocalStore.open(join(dir(), 'db'), { create: true });
      await importOsv(store, [OSV, join(dir(), 'GHSA-cve-2023-5363.json')]);
      const { findings } = await matchInventory(
        inventory([pkg('deb', 'openssl', '3.0.11-1~deb12u1')]),
        store,
      );
      store.close();
      expect(findings.find((f) => f.id === 'DSA-5532-1')).toMatchObject({
        severity: 'HIGH',
        cvss: { score: 7.5 },
        severitySource: 'cvss (GHSA-xxxx-5363)',
      });
    });
  });

  describe('when rpm packages are installed', () => {
    const ROCKY = { id: 'rocky', versionId: '9.4' };
    const opensslLibs = (version: string): Package => ({
      ...pkg('rpm', 'openssl-libs', version),
      purl: `pkg:rpm/rocky/openssl-libs@${version}?arch=x86_64&epoch=1&distro=rocky-9.4`,
      source: { name: 'openssl', version },
      path: 'var/lib/rpm/rpmdb.sqlite',
    });
    /** An advisory naming packages with the version that fixes each. */
    const advisory = (id: string, fixes: Record<string, string>) => ({
      id,
      modified: '2024-06-01T00:00:00Z',
      aliases: [`CVE-${id}`],
      affected: Object.entries(fixes).map(([name, fixed]) => ({
        package: { ecosystem: 'Rocky Linux:9', name },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }],
      })),
    });

    async function matchRocky(packages: Package[]) {
      const records = join(dir(), 'rocky');
      mkdirSync(records);
      for (const record of [
        advisory('RLSA-2024-0001', { openssl: '1:3.0.7-27.el9' }),
        advisory('RLSA-2024-0002', { 'openssl-libs': '1:3.0.7-26.el9' }),
        // The binary's entry says it is fixed already; the source's says it is not.
        advisory('RLSA-2024-0003', {
          'openssl-libs': '1:3.0.7-20.el9',
          openssl: '1:3.0.7-28.el9',
        }),
        advisory('RLSA-2024-0004', { openssl: '3.0.7-99.el9' }),
      ])
        writeFileSync(join(records, `${record.id}.json`), JSON.stringify(record));
      const store = LocalStore.open(join(dir(), 'db'), { create: true });
      try {
        expect(await importOsv(store, [records])).toMatchObject({ inserted: 4 });
        return await matchInventory(
          { ...inventory(packages), os: { ...inventory([]).os!, ...ROCKY } },
          store,
        );
      } finally {
        store.close();
      }
    }

    it('matches advisories by binary and by source name, at epoch:version-release', async () => {
      const { findings, problems } = await matchRocky([opensslLibs('3.0.7-25.el9')]);
      expect(problems).toEqual([]);
      // RLSA-2024-0004 is fixed at epoch 0, below the installed epoch 1; RLSA-2024-0003 is one
      // finding, from the entry that affects the package.
      expect(summary(findings)).toEqual([
        ['openssl-libs', 'RLSA-2024-0001', '1:3.0.7-27.el9', 'fixed'],
        ['openssl-libs', 'RLSA-2024-0002', '1:3.0.7-26.el9', 'fixed'],
        ['openssl-libs', 'RLSA-2024-0003', '1:3.0.7-28.el9', 'fixed'],
      ]);
      expect(findings[0]).toMatchObject({
        source: 'OSV:Rocky Linux:9',
        installedVersion: '3.0.7-25.el9',
      });
    });

    it('reports nothing at the fixed versions', async () => {
      expect((await matchRocky([opensslLibs('3.0.7-28.el9')])).findings).toEqual([]);
    });
  });

  describe('when the image OS has no advisory source', () => {
    it('reports its OS packages as not checked', async () => {
      const store = LocalStore.open(join(dir(), 'db'), { create: true });
      await importOsv(store, [OSV]);
      const result = await matchInventory(
        { ...inventory([pkg('deb', 'openssl', '1.0')]), os: null },
        store,
      );
      store.close();
      expect(result.problems).toEqual([
        {
          kind: 'no-advisory-source',
          ecosystem: 'unknown OS',
          packages: 1,
          reason:
            '1 OS packages not checked: the image OS (unknown OS) has no advisory source this version knows',
        },
      ]);
    });

    it('names the OS as os-release does (Fedora, which no advisory source covers)', async () => {
      const store = LocalStore.open(join(dir(), 'db'), { create: true });
      await importOsv(store, [OSV]);
      const os = {
        id: 'fedora',
        versionId: '40',
        versionCodename: null,
        prettyName: 'Fedora Linux 40 (Container Image)',
        eol: false,
        eolDate: null,
      };
      const result = await matchInventory(
        { ...inventory([pkg('rpm', 'openssl-libs', '3.2.1-2.fc40')]), os },
        store,
      );
      store.close();
      expect(result.findings).toEqual([]);
      expect(result.problems).toEqual([
        expect.objectContaining({
          kind: 'no-advisory-source',
          ecosystem: 'fedora 40',
          packages: 1,
        }),
      ]);
    });
  });

  describe('which ecosystems it looked in', () => {
    it('counts the packages looked up per ecosystem key, owned language packages left out', async () => {
      const store = LocalStore.open(join(dir(), 'db'), { create: true });
      const result = await matchInventory(
        inventory([
          pkg('npm', 'semver', '7.5.1'),
          pkg('npm', 'left-pad', '1.3.0'),
          pkg('pypi', 'six', '1.16.0'),
        ]),
        store,
      );
      store.close();
      expect(result.ecosystems).toEqual({ npm: 2, PyPI: 1 });
    });
  });
});
