import type { OsRelease } from '../../shared/analyzers/analyzer';
import {
  osReleaseAnalyzer,
  parseOsRelease,
  pickOsRelease,
} from '../../shared/analyzers/os-release';
import { analyzerFile, fixtureCases, goldenCase, REGULAR_FILE } from '../support/analyzer-fixtures';

const analyze = async (path: string, text: string) =>
  osReleaseAnalyzer.analyze(analyzerFile(path, Buffer.from(text)));

/** What the inventory would pick from one fixture image's files. */
const picked = async (name: string) => {
  const { actual } = await goldenCase(osReleaseAnalyzer, 'os-release', name);
  return pickOsRelease(
    actual.flatMap((a) => (a.result.os ? [{ path: a.path, os: a.result.os }] : [])),
  );
};

describe('osReleaseAnalyzer', () => {
  describe('wants', () => {
    it.each([
      ['etc/os-release', true],
      ['usr/lib/os-release', true],
      ['etc/alpine-release', true],
      ['etc/debian_version', true],
      ['etc/redhat-release', true],
      ['etc/system-release', true],
      ['opt/etc/os-release', false],
      ['etc/os-release.bak', false],
      ['etc/lsb-release', false],
    ])('%s → %s', (path, wanted) => {
      expect(osReleaseAnalyzer.wants(path, REGULAR_FILE)).toBe(wanted);
    });
  });

  describe('when run over the fixture directories', () => {
    it.each(fixtureCases('os-release'))('finds what %s/expected.json says', async (name) => {
      const { actual, expected } = await goldenCase(osReleaseAnalyzer, 'os-release', name);
      expect(actual).toEqual(expected);
    });

    it.each<[string, OsRelease | undefined]>([
      ['alpine-3.20', { id: 'alpine', versionId: '3.20.3', prettyName: 'Alpine Linux v3.20' }],
      [
        'amazon-2',
        {
          id: 'amzn',
          versionId: '2',
          prettyName: 'Amazon Linux 2',
          idLike: ['centos', 'rhel', 'fedora'],
        },
      ],
      [
        'amazon-2023',
        {
          id: 'amzn',
          versionId: '2023',
          prettyName: 'Amazon Linux 2023.5.20240805',
          idLike: ['fedora'],
        },
      ],
      ['corrupt', undefined],
      [
        'debian-12',
        {
          id: 'debian',
          versionId: '12',
          versionCodename: 'bookworm',
          prettyName: 'Debian GNU/Linux 12 (bookworm)',
        },
      ],
      ['debian-version-fallback', { id: 'debian', versionId: '12' }],
      ['empty', undefined],
      [
        'quirks',
        {
          id: 'quirk',
          versionId: '1.0',
          versionCodename: 'first light',
          prettyName: 'Quirk "OS" $1 `cmd` C:\\',
          idLike: ['debian', 'ubuntu'],
        },
      ],
      [
        'redhat-release-fallback',
        { id: 'rocky', versionId: '9.3', prettyName: 'Rocky Linux release 9.3 (Blue Onyx)' },
      ],
      [
        'system-release-fallback',
        { id: 'amzn', versionId: '2', prettyName: 'Amazon Linux release 2 (Karoo)' },
      ],
      [
        'ubi-9',
        {
          id: 'rhel',
          versionId: '9.4',
          prettyName: 'Red Hat Enterprise Linux 9.4 (Plow)',
          idLike: ['fedora'],
        },
      ],
      [
        'ubuntu-24.04',
        {
          id: 'ubuntu',
          versionId: '24.04',
          versionCodename: 'noble',
          prettyName: 'Ubuntu 24.04.1 LTS',
          idLike: ['debian'],
        },
      ],
      ['wolfi', { id: 'wolfi', versionId: '20230201', prettyName: 'Wolfi' }],
      [
        'sles-15.5',
        {
          id: 'sles',
          versionId: '15.5',
          prettyName: 'SUSE Linux Enterprise Server 15 SP5',
          idLike: ['suse'],
        },
      ],
      [
        'opensuse-leap-15.5',
        {
          id: 'opensuse-leap',
          versionId: '15.5',
          prettyName: 'openSUSE Leap 15.5',
          idLike: ['suse', 'opensuse'],
        },
      ],
      [
        'opensuse-tumbleweed',
        {
          id: 'opensuse-tumbleweed',
          versionId: '20230304',
          prettyName: 'openSUSE Tumbleweed',
          idLike: ['opensuse', 'suse'],
        },
      ],
      [
        'azurelinux-3.0',
        { id: 'azurelinux', versionId: '3.0', prettyName: 'Microsoft Azure Linux 3.0' },
      ],
      ['mariner-2.0', { id: 'mariner', versionId: '2.0', prettyName: 'CBL-Mariner/Linux' }],
      [
        'centos-stream-9',
        { id: 'centos', versionId: '9', prettyName: 'CentOS Stream 9', idLike: ['rhel', 'fedora'] },
      ],
      [
        'fedora-37',
        { id: 'fedora', versionId: '37', prettyName: 'Fedora Linux 37 (Container Image)' },
      ],
      [
        'oraclelinux-9',
        { id: 'ol', versionId: '9.5', prettyName: 'Oracle Linux Server 9.5', idLike: ['fedora'] },
      ],
    ])('picks the distribution of %s', async (name, os) => {
      expect(await picked(name)).toEqual(os);
    });

    it('has a pick for every fixture directory', () => {
      expect(fixtureCases('os-release')).toHaveLength(21);
    });
  });

  describe('when the file is os-release', () => {
    it.each([
      ['single quotes keep backslashes', "ID=x\nPRETTY_NAME='a\\\"b'\n", 'a\\"b'],
      ['double quotes drop escaping backslashes', 'ID=x\nPRETTY_NAME="a\\"b\\\\c"\n', 'a"b\\c'],
      ['unquoted values drop escaping backslashes', 'ID=x\nPRETTY_NAME=a\\ b\n', 'a b'],
      ['a later assignment wins', 'ID=x\nPRETTY_NAME=a\nPRETTY_NAME=b\n', 'b'],
    ])('reads values when %s', (_case, text, prettyName) => {
      expect(parseOsRelease(text)).toEqual({ id: 'x', prettyName });
    });

    it('lower-cases the ID', () => {
      expect(parseOsRelease('ID=Debian\n')).toEqual({ id: 'debian' });
    });

    it('reports a problem when there is no ID', async () => {
      expect(await analyze('etc/os-release', 'NAME=Nothing\n')).toEqual({
        problems: [{ reason: 'no distribution ID in etc/os-release' }],
      });
    });
  });

  describe('when only a fallback release file is there', () => {
    it.each([
      ['etc/alpine-release', '3.20.3\n', { id: 'alpine', versionId: '3.20.3' }],
      ['etc/debian_version', '12.7\n', { id: 'debian', versionId: '12' }],
      ['etc/debian_version', 'trixie/sid\n', { id: 'debian', versionCodename: 'trixie' }],
      [
        'etc/redhat-release',
        'Red Hat Enterprise Linux release 9.4 (Plow)\n',
        { id: 'rhel', versionId: '9.4' },
      ],
      [
        'etc/redhat-release',
        'Red Hat Enterprise Linux Server release 7.9 (Maipo)\n',
        { id: 'rhel', versionId: '7.9' },
      ],
      [
        'etc/redhat-release',
        'Rocky Linux release 9.3 (Blue Onyx)\n',
        { id: 'rocky', versionId: '9.3' },
      ],
      [
        'etc/redhat-release',
        'AlmaLinux release 9.3 (Shamrock Pampas Cat)\n',
        { id: 'almalinux', versionId: '9.3' },
      ],
      [
        'etc/redhat-release',
        'CentOS Linux release 7.9.2009 (Core)\n',
        { id: 'centos', versionId: '7.9.2009' },
      ],
      ['etc/system-release', 'Amazon Linux release 2 (Karoo)\n', { id: 'amzn', versionId: '2' }],
      ['etc/system-release', 'Oracle Linux Server release 9.5\n', { id: 'ol', versionId: '9.5' }],
      ['etc/redhat-release', 'CentOS Stream release 9\n', { id: 'centos', versionId: '9' }],
      [
        'etc/system-release',
        'Amazon Linux release 2023.5.20240805 (Amazon Linux)\n',
        { id: 'amzn', versionId: '2023' },
      ],
    ])('reads %s %j', async (path, text, os) => {
      expect((await analyze(path, text)).os).toMatchObject(os);
    });

    it.each([
      ['etc/redhat-release', 'Something else entirely\n'],
      ['etc/alpine-release', ''],
      ['etc/debian_version', 'not a version\n'],
    ])('reports a problem when %s names no known distribution', async (path, text) => {
      expect(await analyze(path, text)).toEqual({
        problems: [{ reason: `no distribution ID in ${path}` }],
      });
    });
  });

  describe('pickOsRelease', () => {
    const os = (id: string) => ({ id });

    it.each([
      [['etc/debian_version', 'usr/lib/os-release', 'etc/os-release'], 'etc/os-release'],
      [['etc/debian_version', 'usr/lib/os-release'], 'usr/lib/os-release'],
      [['etc/system-release', 'etc/redhat-release'], 'etc/redhat-release'],
      [['somewhere/else', 'etc/alpine-release'], 'etc/alpine-release'],
    ])('picks from %j the %s one', (paths, best) => {
      expect(pickOsRelease(paths.map((path) => ({ path, os: os(path) })))).toEqual(os(best));
    });

    it('picks nothing from nothing', () => {
      expect(pickOsRelease([])).toBeUndefined();
    });
  });
});
