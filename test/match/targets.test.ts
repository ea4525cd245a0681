import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Inventory, OperatingSystem, Package } from '../../shared/inventory/package';
import { purlOf } from '../../shared/inventory/purl';
import { matchInventory } from '../../shared/match/match';
import { entryApplies, matchTargets } from '../../shared/match/targets';
import { coveredOsIds } from '../../shared/osv/ecosystem';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { DEFAULT_ECOSYSTEMS } from '../../shared/vulndb/update';
import { osvSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

const DISTROS = join(__dirname, '..', 'fixtures', 'osv', 'distros');
const LAYER = `sha256:${'b'.repeat(64)}` as const;

const os = (id: string, versionId: string | null): OperatingSystem => ({
  id,
  versionId,
  versionCodename: null,
  prettyName: null,
  eol: false,
  eolDate: null,
});

/** An installed rpm as the rpm analyser and the inventory give it. */
function rpm(
  system: OperatingSystem,
  name: string,
  version: string,
  extra: { epoch?: number; source?: string } = {},
): Package {
  const found = {
    type: 'rpm' as const,
    name,
    version,
    ...(extra.epoch !== undefined && { epoch: extra.epoch }),
    arch: 'x86_64',
  };
  const osRelease = { id: system.id, ...(system.versionId && { versionId: system.versionId }) };
  return {
    name,
    version,
    type: 'rpm',
    purl: purlOf(found, osRelease),
    source: { name: extra.source ?? name, version },
    licenses: [],
    layer: LAYER,
    path: 'var/lib/rpm/rpmdb.sqlite',
    ownedBy: null,
    dependencies: [],
    supplier: null,
  };
}

describe('matchTargets', () => {
  describe('when the image runs a distribution the inventory recognises', () => {
    // Every os-release ID with an advisory source, at a release each serves.
    const served: [string, string, string][] = coveredOsIds().map((id) => {
      const versionId = { amzn: '2023', mariner: '2.0', azurelinux: '3.0' }[id] ?? '15.5';
      const key = matchTargets(
        [rpm(os(id, versionId), 'zlib', '1.2.13-1')],
        os(id, versionId),
        'precise',
      ).targets[0]!.ecosystem;
      return [id, versionId, key];
    });

    it.each(served)('looks %s %s up under %s, which the default update fetches', (_id, _v, key) => {
      const family = key.split(':')[0]!;
      expect(DEFAULT_ECOSYSTEMS.includes(key) || DEFAULT_ECOSYSTEMS.includes(family)).toBe(true);
    });

    it.each([
      ['centos', '9'],
      ['fedora', '37'],
      ['ol', '9.5'],
      ['amzn', '2018.03'],
      ['photon', '5.0'],
      ['arch', null],
      ['rhel', null],
      ['sles', null],
    ])('leaves %s %s as a no-advisory-source gap', (id, versionId) => {
      const image = os(id, versionId);
      const { targets, unmatched } = matchTargets(
        [rpm(image, 'zlib', '1.2.13-1')],
        image,
        'precise',
      );
      expect(targets).toEqual([]);
      expect(unmatched).toEqual([
        expect.objectContaining({
          kind: 'no-advisory-source',
          ecosystem: `${id} ${versionId ?? ''}`.trim(),
          packages: 1,
        }),
      ]);
    });
  });

  describe('when the packages are rpms', () => {
    const target = (system: OperatingSystem, p: Package) =>
      matchTargets([p], system, 'precise').targets[0]!;

    it.each([
      [os('rhel', '9.4'), ['openssl-libs', 'openssl'], '1:3.0.7-24.el9'],
      [os('rocky', '9.3'), ['openssl-libs', 'openssl'], '1:3.0.7-24.el9'],
      [os('amzn', '2023'), ['openssl-libs'], '1:3.0.7-24.el9'],
      [os('sles', '15.5'), ['openssl'], '1:3.0.7-24.el9'],
      [os('opensuse-leap', '15.5'), ['openssl'], '1:3.0.7-24.el9'],
      [os('azurelinux', '3.0'), ['openssl'], '1:3.0.7-24.el9'],
    ])('looks %j up by %j at %s', (system, names, version) => {
      const found = target(
        system,
        rpm(system, 'openssl-libs', '3.0.7-24.el9', { epoch: 1, source: 'openssl' }),
      );
      expect(found).toMatchObject({ names, version });
    });

    it('drops Azure Linux’s dist tag, which its advisories do not write', () => {
      const system = os('azurelinux', '3.0');
      expect(target(system, rpm(system, 'zlib', '1.3.1-1.azl3')).version).toBe('1.3.1-1');
      const mariner = os('mariner', '2.0');
      expect(target(mariner, rpm(mariner, 'kernel', '5.15.158.2-1.cm2')).version).toBe(
        '5.15.158.2-1',
      );
    });

    it('marks Enterprise Linux module builds, and no other distribution’s packages', () => {
      const rhel = os('rhel', '9.4');
      expect(
        target(rhel, rpm(rhel, 'nodejs', '18.19.0-1.module+el9.3.0+21031+53e8ea6c')).modular,
      ).toBe(true);
      expect(target(rhel, rpm(rhel, 'nodejs', '16.20.2-3.el9')).modular).toBe(false);
      const alma = os('almalinux', '8.10');
      expect(
        target(alma, rpm(alma, 'perl', '5.32.1-473.module_el8.10.0+3801+2f5c8f64')).modular,
      ).toBe(true);
      const sles = os('sles', '15.5');
      expect(target(sles, rpm(sles, 'nodejs18', '18.19.0-150500.11.6.1')).modular).toBeUndefined();
    });
  });
});

describe('entryApplies', () => {
  const entry = (...versions: string[]) => ({
    ranges: [
      {
        type: 'ECOSYSTEM' as const,
        events: versions.map((version) => ({ kind: 'fixed' as const, version })),
      },
    ],
    versions: [],
  });

  it.each([
    [true, entry('1:18.19.0-1.module+el9.3.0+21031+53e8ea6c'), true],
    [false, entry('1:18.19.0-1.module+el9.3.0+21031+53e8ea6c'), false],
    [true, entry('1:16.20.2-4.el9_3'), false],
    [false, entry('1:16.20.2-4.el9_3'), true],
    [true, entry('0'), true],
    [false, entry(), true],
  ])('for a target modular=%s, %j applies: %s', (modular, advisory, applies) => {
    expect(entryApplies({ modular }, advisory)).toBe(applies);
  });

  it('lets every entry apply to a target of no module family', () => {
    expect(entryApplies({}, entry('1.module+el9.3.0+1'))).toBe(true);
  });
});

describe('matchInventory over distribution advisories', () => {
  const dir = useTempDir();

  // ALAS is not in OSV (its ecosystem and id prefix are not the schema's): the importer's shape.
  it.each(readdirSync(DISTROS).filter((f) => f.endsWith('.json') && !f.startsWith('ALAS')))(
    'reads %s, valid against the official OSV schema',
    (file) => {
      expect(osvSchemaErrors(JSON.parse(readFileSync(join(DISTROS, file), 'utf8')))).toEqual([]);
    },
  );

  async function match(system: OperatingSystem, packages: Package[]) {
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    try {
      await importOsv(store, [DISTROS]);
      const inventory: Inventory = { os: system, packages, problems: [] };
      return await matchInventory(inventory, store);
    } finally {
      store.close();
    }
  }
  const found = (result: Awaited<ReturnType<typeof match>>) =>
    result.findings.map((f) => [f.package, f.id, f.fixedVersion, f.source]);

  describe('when the image is RHEL 9 or UBI 9', () => {
    const ubi9 = os('rhel', '9.4');

    it('matches the main stream by binary and source name, and never the EUS stream', async () => {
      const result = await match(ubi9, [
        rpm(ubi9, 'openssl-libs', '3.0.7-24.el9', { epoch: 1, source: 'openssl' }),
      ]);
      expect(found(result)).toEqual([
        [
          'openssl-libs',
          'RHSA-2024:0001',
          '1:3.0.7-25.el9_3',
          'OSV:Red Hat:enterprise_linux:9::baseos',
        ],
      ]);
      expect(result.problems).toEqual([]);
    });

    it('passes a package at the main stream’s fix', async () => {
      const result = await match(ubi9, [
        rpm(ubi9, 'openssl-libs', '3.0.7-25.el9_3', { epoch: 1, source: 'openssl' }),
      ]);
      expect(result.findings).toEqual([]);
    });

    it('flags a build of the module stream, and not the plain nodejs of another stream', async () => {
      const result = await match(ubi9, [
        rpm(ubi9, 'nodejs', '18.18.2-2.module+el9.3.0+20612+0a2e10b5', { epoch: 1 }),
        rpm(ubi9, 'nodejs-libs', '16.20.2-3.el9', { epoch: 1, source: 'nodejs' }),
      ]);
      expect(found(result)).toEqual([
        [
          'nodejs',
          'RHSA-2024:0000',
          '1:18.19.0-1.module+el9.3.0+21031+53e8ea6c',
          'OSV:Red Hat:enterprise_linux:9::appstream',
        ],
      ]);
    });
  });

  describe('when the image is UBI 8 and the advisory is for AUS, E4S and TUS only', () => {
    it('reports nothing: those streams are not the image’s, though the record names git-lfs', async () => {
      const ubi8 = os('rhel', '8.10');
      const result = await match(ubi8, [rpm(ubi8, 'git-lfs', '2.13.3-3.el8')]);
      expect(result.findings).toEqual([]);
      expect(result.ecosystems).toEqual({ 'Red Hat:8': 1 });
    });
  });

  describe('when the image is SLES 15 SP5 (SLE BCI)', () => {
    const sles = os('sles', '15.5');

    it('matches its module’s advisory by source package, not SP4’s, not openSUSE’s', async () => {
      const result = await match(sles, [
        rpm(sles, 'libopenssl3', '3.0.8-150500.5.21.1', { source: 'openssl-3' }),
        rpm(sles, 'libglib-2_0-0', '2.70.5-150400.3.11.1', { source: 'glib2' }),
      ]);
      expect(found(result)).toEqual([
        [
          'libopenssl3',
          'SUSE-SU-2024:0001-1',
          '3.0.8-150500.5.24.1',
          'OSV:SUSE:Linux Enterprise Module for Basesystem 15 SP5',
        ],
      ]);
      expect(result.ecosystems).toEqual({ 'SUSE:Linux Enterprise 15 SP5': 2 });
    });
  });

  describe('when the image is openSUSE Leap 15.5 or Tumbleweed', () => {
    it('matches Leap’s own entry', async () => {
      const leap = os('opensuse-leap', '15.5');
      const result = await match(leap, [rpm(leap, 'openssl-3', '3.0.8-150500.5.21.1')]);
      expect(found(result)).toEqual([
        ['openssl-3', 'SUSE-SU-2024:0001-1', '3.0.8-150500.5.24.1', 'OSV:openSUSE:Leap 15.5'],
      ]);
    });

    it('matches Tumbleweed’s advisories by source package, and nothing of Leap', async () => {
      const tw = os('opensuse-tumbleweed', '20240801');
      const result = await match(tw, [
        rpm(tw, 'libxml2-2', '2.12.4-1.1', { source: 'libxml2' }),
        rpm(tw, 'libopenssl3', '3.0.8-1.1', { source: 'openssl-3' }),
      ]);
      expect(found(result)).toEqual([
        ['libxml2-2', 'openSUSE-SU-2024:0003-1', '2.12.5-1.1', 'OSV:openSUSE:Tumbleweed'],
      ]);
    });
  });

  describe('when the image is Azure Linux 3.0 or CBL-Mariner 2.0', () => {
    const azl = os('azurelinux', '3.0');

    it('flags a version below the fix and one at an unfixed last_affected, dist tag and all', async () => {
      const result = await match(azl, [
        rpm(azl, 'zlib', '1.3-1.azl3'),
        rpm(azl, 'gpsbabel', '1.8.0-4.azl3'),
      ]);
      expect(found(result)).toEqual([
        ['gpsbabel', 'AZL-78006', null, 'OSV:Azure Linux:3'],
        ['zlib', 'AZL-35400', '1.3.1-1', 'OSV:Azure Linux:3'],
      ]);
    });

    it('passes the fixed build', async () => {
      expect((await match(azl, [rpm(azl, 'zlib', '1.3.1-1.azl3')])).findings).toEqual([]);
    });

    it('gives CBL-Mariner 2.0 its own advisories only', async () => {
      const mariner = os('mariner', '2.0');
      const result = await match(mariner, [
        rpm(mariner, 'gpsbabel', '1.8.0-4.cm2'),
        rpm(mariner, 'zlib', '1.2.13-2.cm2'),
      ]);
      expect(found(result)).toEqual([['gpsbabel', 'AZL-78003', null, 'OSV:Azure Linux:2']]);
    });
  });

  describe('when the image is Amazon Linux 2023', () => {
    it('matches ALAS by binary name, never by the source rpm', async () => {
      const al = os('amzn', '2023');
      const result = await match(al, [
        rpm(al, 'openssl-libs', '3.0.8-1.amzn2023.0.14', { epoch: 1, source: 'openssl' }),
        rpm(al, 'libcurl-minimal', '8.5.0-1.amzn2023.0.4', { source: 'curl' }),
      ]);
      expect(found(result)).toEqual([
        ['openssl-libs', 'ALAS2023-2024-0001', '1:3.0.8-1.amzn2023.0.16', 'OSV:Amazon Linux:2023'],
      ]);
    });

    it('gives Amazon Linux 2 none of 2023’s advisories', async () => {
      const al2 = os('amzn', '2');
      const result = await match(al2, [
        rpm(al2, 'openssl-libs', '1.0.2k-24.amzn2.0.12', { epoch: 1, source: 'openssl' }),
      ]);
      expect(result.findings).toEqual([]);
      expect(result.ecosystems).toEqual({ 'Amazon Linux:2': 1 });
    });
  });
});
