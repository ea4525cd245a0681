import {
  ecosystemKeyString,
  languageEcosystem,
  osEcosystem,
  parseEcosystem,
} from '../../shared/osv/ecosystem';

describe('parseEcosystem', () => {
  it.each([
    ['Debian:12', 'Debian:12'],
    ['Debian:13', 'Debian:13'],
    ['Ubuntu:22.04:LTS', 'Ubuntu:22.04'],
    ['Ubuntu:Pro:18.04:LTS', 'Ubuntu:18.04'],
    ['Ubuntu:24.10', 'Ubuntu:24.10'],
    ['Alpine:v3.20', 'Alpine:3.20'],
    ['Rocky Linux:9', 'Rocky Linux:9'],
    ['AlmaLinux:8', 'AlmaLinux:8'],
    ['Red Hat:enterprise_linux:9::appstream', 'Red Hat:9'],
    ['Red Hat:rhel_aus:8.4::appstream', 'Red Hat:8'],
    ['Wolfi', 'Wolfi'],
    ['PyPI', 'PyPI'],
    ['crates.io', 'crates.io'],
    ['Debian', 'Debian'],
  ])('%s → %s', (value, key) => {
    expect(ecosystemKeyString(parseEcosystem(value))).toBe(key);
  });
});

describe('osEcosystem', () => {
  it.each([
    [{ id: 'debian', versionId: '12' }, 'Debian:12'],
    [{ id: 'ubuntu', versionId: '22.04' }, 'Ubuntu:22.04'],
    [{ id: 'alpine', versionId: '3.20.3' }, 'Alpine:3.20'],
    [{ id: 'rocky', versionId: '9.4' }, 'Rocky Linux:9'],
    [{ id: 'almalinux', versionId: '8.10' }, 'AlmaLinux:8'],
    [{ id: 'rhel', versionId: '9.4' }, 'Red Hat:9'],
    [{ id: 'wolfi', versionId: '20230201' }, 'Wolfi'],
    [{ id: 'chainguard', versionId: null }, 'Chainguard'],
  ])('%o → %s', (os, key) => {
    expect(ecosystemKeyString(osEcosystem(os)!)).toBe(key);
  });

  it.each([[{ id: 'debian', versionId: null }], [{ id: 'gentoo', versionId: '2.14' }]])(
    'has none for %o (no release, or a distro OSV does not cover)',
    (os) => {
      expect(osEcosystem(os)).toBeUndefined();
    },
  );
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
