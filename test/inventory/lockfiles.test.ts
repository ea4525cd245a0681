import { mergeLayers, type FileTree } from '../../shared/layers/file-tree';
import type { LayerEntry } from '../../shared/layers/listing';
import { originOf, unusedLockfileReason } from '../../shared/inventory/lockfiles';

function tree(...paths: string[]): FileTree {
  const entries: LayerEntry[] = paths.map((path) => ({
    path,
    type: path.endsWith('/') ? 'directory' : 'file',
    mode: 0o644,
    size: 0,
    uid: 0,
    gid: 0,
  }));
  return mergeLayers([
    {
      digest: `sha256:${'0'.repeat(64)}`,
      entries: entries.map((e) => ({ ...e, path: e.path.replace(/\/$/, '') })),
      whiteouts: [],
      opaqueDirectories: [],
    },
  ]);
}

const nobodyOwns = () => false;

describe('unusedLockfileReason', () => {
  describe('when the lockfile is an application root with nothing installed beside it', () => {
    it.each(['srv/app/package-lock.json', 'package-lock.json', 'app/npm-shrinkwrap.json'])(
      'uses %s',
      (path) => {
        expect(unusedLockfileReason(path, tree(path), nobodyOwns)).toBeUndefined();
      },
    );
  });

  describe('when the lockfile lies inside an installed package', () => {
    it('does not use it', () => {
      const path = 'usr/share/nodejs/lodash-cli/npm-shrinkwrap.json';
      expect(unusedLockfileReason(path, tree(path), nobodyOwns)).toBe(
        'inside an installed package',
      );
    });
  });

  describe('when an OS package installed the lockfile or the package.json beside it', () => {
    it.each([
      ['opt/tool/package-lock.json', 'opt/tool/package-lock.json'],
      ['opt/tool/package-lock.json', 'opt/tool/package.json'],
    ])('does not use %s (%s owned)', (path, owned) => {
      const osOwned = (p: string) => p === owned;
      expect(unusedLockfileReason(path, tree(path), osOwned)).toBe('installed by an OS package');
    });

    it('still uses one whose directory only the OS created (base-files owns /srv)', () => {
      const osOwned = (p: string) => p === 'srv';
      expect(unusedLockfileReason('srv/package-lock.json', tree('srv/'), osOwned)).toBeUndefined();
    });
  });

  describe('when its packages are installed beside it', () => {
    it.each([
      ['srv/app/package-lock.json', 'srv/app/node_modules/x/package.json'],
      ['package-lock.json', 'node_modules/'],
    ])('does not use %s (%s)', (path, installed) => {
      expect(unusedLockfileReason(path, tree(path, installed), nobodyOwns)).toBe(
        'node_modules beside it',
      );
    });

    it('uses it when node_modules is elsewhere', () => {
      const path = 'srv/app/package-lock.json';
      expect(
        unusedLockfileReason(path, tree(path, 'srv/other/node_modules/'), nobodyOwns),
      ).toBeUndefined();
    });
  });

  describe('when the file is no lockfile', () => {
    it('has nothing to say', () => {
      const path = 'app/node_modules/x/package.json';
      expect(unusedLockfileReason(path, tree(path), () => true)).toBeUndefined();
    });
  });
});

describe('originOf', () => {
  it.each([
    ['srv/app/package-lock.json', 'lockfile'],
    ['srv/app/npm-shrinkwrap.json', 'lockfile'],
    ['srv/app/node_modules/x/package.json', 'installed'],
    ['var/lib/dpkg/status', 'installed'],
    ['srv/app/package-lock.json.bak', 'installed'],
  ])('%s → %s', (path, origin) => {
    expect(originOf(path)).toBe(origin);
  });
});
