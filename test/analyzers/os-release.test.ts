import {
  osReleaseAnalyzer,
  parseOsRelease,
  pickOsRelease,
} from '../../shared/analyzers/os-release';

const analyze = async (path: string, text: string) =>
  osReleaseAnalyzer.analyze({ path, bytes: Buffer.from(text), truncated: false });

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
    ])('%s → %s', (path, wanted) => {
      expect(osReleaseAnalyzer.wants(path)).toBe(wanted);
    });
  });

  describe('when the file is os-release', () => {
    it.each([
      [
        'Debian 12',
        'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n',
        {
          id: 'debian',
          versionId: '12',
          versionCodename: 'bookworm',
          prettyName: 'Debian GNU/Linux 12 (bookworm)',
        },
      ],
      [
        'UBI 9 with ID_LIKE',
        'NAME="Red Hat Enterprise Linux"\nVERSION_ID="9.4"\nID="rhel"\nID_LIKE="fedora"\nPRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"\n',
        {
          id: 'rhel',
          versionId: '9.4',
          prettyName: 'Red Hat Enterprise Linux 9.4 (Plow)',
          idLike: ['fedora'],
        },
      ],
      [
        'single quotes, escapes and comments',
        '# comment\nID=\'ubuntu\'\nPRETTY_NAME="Ubuntu \\"Noble\\""\nID_LIKE=debian\nVERSION_ID=24.04\n',
        { id: 'ubuntu', versionId: '24.04', prettyName: 'Ubuntu "Noble"', idLike: ['debian'] },
      ],
      [
        'CRLF line ends',
        'ID=alpine\r\nVERSION_ID=3.20.3\r\n',
        { id: 'alpine', versionId: '3.20.3' },
      ],
    ])('parses %s', (_name, text, os) => {
      expect(parseOsRelease(text)).toEqual(os);
    });

    it('reports a problem when there is no ID', async () => {
      expect(await analyze('etc/os-release', 'NAME=Nothing\n')).toEqual({
        problems: [{ reason: 'no distribution ID in etc/os-release' }],
      });
    });

    it('reports a problem when the file is empty', async () => {
      expect((await analyze('usr/lib/os-release', '')).problems).toHaveLength(1);
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
      [
        'etc/system-release',
        'Amazon Linux release 2023.5.20240805 (Amazon Linux)\n',
        { id: 'amzn', versionId: '2023' },
      ],
    ])('reads %s %j', async (path, text, os) => {
      expect((await analyze(path, text)).os).toMatchObject(os);
    });

    it('reports a problem when the text names no known distribution', async () => {
      expect(
        (await analyze('etc/redhat-release', 'Something else entirely\n')).problems,
      ).toHaveLength(1);
    });
  });

  describe('pickOsRelease', () => {
    it('prefers etc/os-release, then usr/lib/os-release, then the fallbacks', () => {
      const os = (id: string) => ({ id });
      expect(
        pickOsRelease([
          { path: 'etc/debian_version', os: os('a') },
          { path: 'usr/lib/os-release', os: os('b') },
          { path: 'etc/os-release', os: os('c') },
        ]),
      ).toEqual(os('c'));
      expect(
        pickOsRelease([
          { path: 'etc/debian_version', os: os('a') },
          { path: 'usr/lib/os-release', os: os('b') },
        ]),
      ).toEqual(os('b'));
      expect(pickOsRelease([])).toBeUndefined();
    });
  });
});
