import { mergeLayers, type LayerEntry, type LayerListing } from '../../shared/layers';

function layer(
  digest: string,
  entries: (string | [string, LayerEntry['type']])[],
  extra: Partial<LayerListing> = {},
): LayerListing {
  return {
    digest,
    compression: 'gzip',
    compressedBytes: 0,
    uncompressedBytes: 0,
    ignoredEntries: 0,
    problems: [],
    problemCount: 0,
    whiteouts: [],
    opaqueDirectories: [],
    entries: entries.map((e) => {
      const [path, type] = typeof e === 'string' ? [e, e.endsWith('/') ? 'directory' : 'file'] : e;
      return {
        path: path.replace(/\/$/, ''),
        type: type as LayerEntry['type'],
        mode: 0o644,
        size: 0,
        uid: 0,
        gid: 0,
      };
    }),
    ...extra,
  };
}

const paths = (listings: LayerListing[]): string[] =>
  [...mergeLayers(listings).entries()].map((e) => `${e.path}@${e.layer}`);

describe('mergeLayers', () => {
  describe('when layers add files', () => {
    it('keeps the upper version of a path, with the layer that wrote it', () => {
      expect(paths([layer('l1', ['etc/', 'etc/a', 'etc/b']), layer('l2', ['etc/a'])])).toEqual([
        'etc@l1',
        'etc/a@l2',
        'etc/b@l1',
      ]);
    });
  });

  describe('when a layer has whiteouts', () => {
    it('deletes the file, or the directory with everything under it', () => {
      const merged = paths([
        layer('l1', ['etc/', 'etc/a', 'opt/', 'opt/x/', 'opt/x/y']),
        layer('l2', [], { whiteouts: ['etc/a', 'opt/x'] }),
      ]);
      expect(merged).toEqual(['etc@l1', 'opt@l1']);
    });

    it('lets the same layer add the path again', () => {
      expect(paths([layer('l1', ['a']), layer('l2', ['a'], { whiteouts: ['a'] })])).toEqual([
        'a@l2',
      ]);
    });

    it('ignores a whiteout of a path that does not exist', () => {
      expect(paths([layer('l1', ['a']), layer('l2', [], { whiteouts: ['nope/b'] })])).toEqual([
        'a@l1',
      ]);
    });
  });

  describe('when a layer marks a directory opaque', () => {
    it('hides the lower contents but keeps what the same layer puts there', () => {
      const merged = paths([
        layer('l1', ['var/', 'var/cache/', 'var/cache/old']),
        layer('l2', ['var/cache/new'], { opaqueDirectories: ['var/cache'] }),
      ]);
      expect(merged).toEqual(['var@l1', 'var/cache@l1', 'var/cache/new@l2']);
    });
  });

  describe('when a file replaces a directory, or a directory a file', () => {
    it('drops the replaced subtree', () => {
      expect(paths([layer('l1', ['d/', 'd/x']), layer('l2', ['d'])])).toEqual(['d@l2']);
      expect(paths([layer('l1', ['d']), layer('l2', [['d', 'directory'], 'd/y'])])).toEqual([
        'd@l2',
        'd/y@l2',
      ]);
    });

    it('merges a directory laid over a directory', () => {
      expect(paths([layer('l1', ['d/', 'd/x']), layer('l2', ['d/', 'd/y'])])).toEqual([
        'd@l2',
        'd/x@l1',
        'd/y@l2',
      ]);
    });
  });

  describe('has', () => {
    it('sees directories implied by deeper entries, and not deleted ones', () => {
      const tree = mergeLayers([
        layer('l1', ['a/b/c', 'x/y']),
        layer('l2', [], { whiteouts: ['x'] }),
      ]);
      expect([
        tree.has('a'),
        tree.has('a/b'),
        tree.has('a/b/c'),
        tree.has('x'),
        tree.has('x/y'),
        tree.has('nope'),
      ]).toEqual([true, true, true, false, false, false]);
    });
  });

  describe('when a path is hundreds of thousands of directories deep', () => {
    it('lists it, parents before children, without overflowing the stack', () => {
      const deep = Array.from({ length: 200_000 }, (_, i) => `d${i % 10}`).join('/');
      const tree = mergeLayers([layer('l1', ['a/', 'a/x', 'b', deep, `${deep}/f`])]);
      const listed = [...tree.entries()].map((e) => e.path);
      expect(listed.slice(0, 3)).toEqual(['a', 'a/x', 'b']);
      expect(listed.slice(3)).toEqual([deep, `${deep}/f`]);
      expect(tree.size).toBe(5);
    });
  });

  describe('when there are no layers', () => {
    it('is empty', () => {
      expect(mergeLayers([]).size).toBe(0);
    });
  });
});
