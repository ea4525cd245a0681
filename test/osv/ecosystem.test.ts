import {
  coveredOsIds,
  ecosystemKeyString,
  languageEcosystem,
  osEcosystem,
  parseEcosystem,
} from '../../shared/osv/ecosystem';

const key = (value: string) => ecosystemKeyString(parseEcosystem(value));

describe('parseEcosystem', () => {
  describe('when the ecosystem is Debian, Ubuntu, Alpine, Rocky, Alma or a language', () => {
    it.each([
      ['Debian:12', 'Debian:12'],
      ['Debian:13', 'Debian:13'],
      ['Ubuntu:22.04:LTS', 'Ubuntu:22.04'],
      ['Ubuntu:Pro:18.04:LTS', 'Ubuntu:18.04'],
      ['Ubuntu:24.10', 'Ubuntu:24.10'],
      ['Alpine:v3.20', 'Alpine:3.20'],
      ['Rocky Linux:9', 'Rocky Linux:9'],
      ['AlmaLinux:8', 'AlmaLinux:8'],
      ['Wolfi', 'Wolfi'],
      ['PyPI', 'PyPI'],
      ['crates.io', 'crates.io'],
      ['Debian', 'Debian'],
      ['Mageia:9', 'Mageia'],
    ])('%s → %s', (value, expected) => {
      expect(key(value)).toBe(expected);
    });
  });

  describe('when the ecosystem is a Red Hat product stream', () => {
    it.each([
      ['Red Hat:enterprise_linux:9::appstream', 'Red Hat:9'],
      ['Red Hat:enterprise_linux:9::baseos', 'Red Hat:9'],
      ['Red Hat:enterprise_linux:8::crb', 'Red Hat:8'],
      ['Red Hat:enterprise_linux:7::server', 'Red Hat:7'],
    ])('reads the main stream %s as the major release: %s', (value, expected) => {
      expect(key(value)).toBe(expected);
    });

    it.each([
      ['Red Hat:rhel_eus:9.2::appstream', 'Red Hat:rhel_eus:9.2'],
      ['Red Hat:rhel_aus:8.6::appstream', 'Red Hat:rhel_aus:8.6'],
      ['Red Hat:rhel_e4s:8.6::appstream', 'Red Hat:rhel_e4s:8.6'],
      ['Red Hat:rhel_tus:8.6::appstream', 'Red Hat:rhel_tus:8.6'],
      ['Red Hat:rhel_els:7', 'Red Hat:rhel_els:7'],
      ['Red Hat:openshift:4.14::el9', 'Red Hat:openshift:4.14'],
      ['Red Hat:service_mesh:1.1::el7', 'Red Hat:service_mesh:1.1'],
    ])('keeps an extended stream or layered product apart: %s → %s', (value, expected) => {
      expect(key(value)).toBe(expected);
    });

    it.each(['Red Hat', 'Red Hat:enterprise_linux', 'Red Hat:enterprise_linux:x::baseos'])(
      'keeps no release for %s',
      (value) => {
        expect(parseEcosystem(value)).toEqual({ ecosystem: 'Red Hat' });
      },
    );
  });

  describe('when the ecosystem is a SUSE product', () => {
    it.each([
      ['SUSE:Linux Enterprise Server 15 SP5', 'SUSE:Linux Enterprise 15 SP5'],
      ['SUSE:Linux Enterprise Module for Basesystem 15 SP5', 'SUSE:Linux Enterprise 15 SP5'],
      ['SUSE:Linux Enterprise Module for Python 3 15 SP6', 'SUSE:Linux Enterprise 15 SP6'],
      [
        'SUSE:Linux Enterprise Module for Server Applications 15 SP5',
        'SUSE:Linux Enterprise 15 SP5',
      ],
      ['SUSE:Linux Enterprise Server for SAP Applications 15 SP5', 'SUSE:Linux Enterprise 15 SP5'],
      [
        'SUSE:Linux Enterprise High Performance Computing 15 SP5-ESPOS',
        'SUSE:Linux Enterprise 15 SP5',
      ],
      ['SUSE:Linux Enterprise Server 15 SP4-LTSS', 'SUSE:Linux Enterprise 15 SP4'],
      ['SUSE:Linux Enterprise Server LTSS 15 SP4', 'SUSE:Linux Enterprise 15 SP4'],
      [
        'SUSE:Linux Enterprise Server LTSS Extended Security 12 SP5',
        'SUSE:Linux Enterprise 12 SP5',
      ],
      ['SUSE:Linux Enterprise Server 12 SP2-BCL', 'SUSE:Linux Enterprise 12 SP2'],
      ['SUSE:Linux Enterprise Module for Basesystem 15', 'SUSE:Linux Enterprise 15'],
      ['SUSE:Linux Enterprise Server 16.0', 'SUSE:Linux Enterprise 16.0'],
      ['SUSE:Linux Enterprise Micro 5.5', 'SUSE:Linux Enterprise Micro 5.5'],
      ['SUSE:Linux Enterprise Micro for Rancher 5.4', 'SUSE:Linux Enterprise Micro 5.4'],
      ['SUSE:Linux Micro 6.0', 'SUSE:Linux Micro 6.0'],
    ])('folds %s into %s', (value, expected) => {
      expect(key(value)).toBe(expected);
    });

    it.each([
      ['SUSE:Enterprise Storage 7.1', 'SUSE:Enterprise Storage 7.1'],
      [
        'SUSE:Linux Enterprise Module for SUSE Manager Server 4.3',
        'SUSE:Linux Enterprise Module for SUSE Manager Server 4.3',
      ],
      ['SUSE:Package Hub 15 SP5', 'SUSE:Package Hub 15 SP5'],
    ])('keeps a product no image runs under its own name: %s', (value, expected) => {
      expect(key(value)).toBe(expected);
    });

    it('keeps service packs and product lines apart', () => {
      const keys = [
        'SUSE:Linux Enterprise Server 15 SP4',
        'SUSE:Linux Enterprise Server 15 SP5',
        'SUSE:Linux Enterprise Micro 5.5',
        'openSUSE:Leap 15.5',
      ].map(key);
      expect(new Set(keys).size).toBe(4);
    });
  });

  describe('when the ecosystem is openSUSE, Azure Linux or Amazon Linux', () => {
    it.each([
      ['openSUSE:Leap 15.5', 'openSUSE:Leap 15.5'],
      ['openSUSE:Leap Micro 5.5', 'openSUSE:Leap Micro 5.5'],
      ['openSUSE:Tumbleweed', 'openSUSE:Tumbleweed'],
      ['Azure Linux:3', 'Azure Linux:3'],
      ['Azure Linux:2', 'Azure Linux:2'],
      ['Amazon Linux:2', 'Amazon Linux:2'],
      ['Amazon Linux:2023', 'Amazon Linux:2023'],
    ])('%s → %s', (value, expected) => {
      expect(key(value)).toBe(expected);
    });
  });
});

describe('osEcosystem', () => {
  describe('when OSV or an importer has advisories for the distribution', () => {
    it.each([
      [{ id: 'debian', versionId: '12' }, 'Debian:12'],
      [{ id: 'ubuntu', versionId: '22.04' }, 'Ubuntu:22.04'],
      [{ id: 'alpine', versionId: '3.20.3' }, 'Alpine:3.20'],
      [{ id: 'rocky', versionId: '9.4' }, 'Rocky Linux:9'],
      [{ id: 'almalinux', versionId: '8.10' }, 'AlmaLinux:8'],
      [{ id: 'rhel', versionId: '9.4' }, 'Red Hat:9'],
      [{ id: 'amzn', versionId: '2' }, 'Amazon Linux:2'],
      [{ id: 'amzn', versionId: '2023' }, 'Amazon Linux:2023'],
      [{ id: 'sles', versionId: '15.5' }, 'SUSE:Linux Enterprise 15 SP5'],
      [{ id: 'sles', versionId: '15' }, 'SUSE:Linux Enterprise 15'],
      [{ id: 'sles', versionId: '12.5' }, 'SUSE:Linux Enterprise 12 SP5'],
      [{ id: 'sles', versionId: '16.0' }, 'SUSE:Linux Enterprise 16.0'],
      [{ id: 'sles_sap', versionId: '15.6' }, 'SUSE:Linux Enterprise 15 SP6'],
      [{ id: 'sle_hpc', versionId: '15.5' }, 'SUSE:Linux Enterprise 15 SP5'],
      [{ id: 'sled', versionId: '15.5' }, 'SUSE:Linux Enterprise 15 SP5'],
      [{ id: 'sle-micro', versionId: '5.5' }, 'SUSE:Linux Enterprise Micro 5.5'],
      [{ id: 'sl-micro', versionId: '6.0' }, 'SUSE:Linux Micro 6.0'],
      [{ id: 'opensuse-leap', versionId: '15.5' }, 'openSUSE:Leap 15.5'],
      [{ id: 'opensuse-leap-micro', versionId: '5.5' }, 'openSUSE:Leap Micro 5.5'],
      [{ id: 'opensuse-tumbleweed', versionId: '20240801' }, 'openSUSE:Tumbleweed'],
      [{ id: 'opensuse-microos', versionId: '20240801' }, 'openSUSE:Tumbleweed'],
      [{ id: 'azurelinux', versionId: '3.0' }, 'Azure Linux:3'],
      [{ id: 'mariner', versionId: '2.0' }, 'Azure Linux:2'],
      [{ id: 'wolfi', versionId: '20230201' }, 'Wolfi'],
      [{ id: 'chainguard', versionId: null }, 'Chainguard'],
    ])('%o → %s', (os, expected) => {
      expect(ecosystemKeyString(osEcosystem(os)!)).toBe(expected);
    });

    it('gives the SLES 15 SP5 image the key its modules’ advisories are stored under', () => {
      const image = ecosystemKeyString(osEcosystem({ id: 'sles', versionId: '15.5' })!);
      expect(image).toBe(key('SUSE:Linux Enterprise Module for Basesystem 15 SP5'));
      expect(image).not.toBe(key('SUSE:Linux Enterprise Module for Basesystem 15 SP4'));
    });
  });

  describe('when no advisory source covers the distribution or release', () => {
    it.each([
      [{ id: 'debian', versionId: null }],
      [{ id: 'sles', versionId: null }],
      [{ id: 'opensuse-leap', versionId: '15' }],
      [{ id: 'sle-micro', versionId: 'five' }],
      [{ id: 'gentoo', versionId: '2.14' }],
      [{ id: 'centos', versionId: '9' }],
      [{ id: 'fedora', versionId: '40' }],
      [{ id: 'ol', versionId: '9.4' }],
      [{ id: 'amzn', versionId: '2018.03' }],
      [{ id: 'constructor', versionId: '1' }],
      [{ id: '__proto__', versionId: '1' }],
    ])('has none for %o', (os) => {
      expect(osEcosystem(os)).toBeUndefined();
    });
  });
});

describe('coveredOsIds', () => {
  it('lists every os-release ID osEcosystem maps', () => {
    for (const id of coveredOsIds())
      expect(osEcosystem({ id, versionId: id === 'amzn' ? '2023' : '15.5' })).toEqual(
        expect.objectContaining({ ecosystem: expect.any(String) }),
      );
  });
});

describe('languageEcosystem', () => {
  it.each([
    ['npm', 'npm'],
    ['pypi', 'PyPI'],
    ['golang', 'Go'],
    ['maven', 'Maven'],
    ['cargo', 'crates.io'],
    ['gem', 'RubyGems'],
    ['nuget', 'NuGet'],
    ['composer', 'Packagist'],
  ] as const)('%s → %s', (type, ecosystem) => {
    expect(languageEcosystem(type)).toEqual({ ecosystem });
  });

  it('has none for OS package types', () => {
    expect(languageEcosystem('deb')).toBeUndefined();
  });
});
