import { normaliseEntryPath, whiteoutOf } from '../../shared/layers';

describe('normaliseEntryPath', () => {
  it.each([
    ['./etc/passwd', 'etc/passwd'],
    ['/etc/passwd', 'etc/passwd'],
    ['etc//x/./y/', 'etc/x/y'],
    ['a/b/../c', 'a/c'],
    ['./', ''],
  ])('normalises %j to %j', (name, path) => {
    expect(normaliseEntryPath(name)).toEqual({ ok: true, path });
  });

  it.each(['../x', 'a/../../x', '/../etc/shadow', 'a\0b'])('refuses %j', (name) => {
    expect(normaliseEntryPath(name)).toMatchObject({ ok: false });
  });
});

describe('whiteoutOf', () => {
  it.each([
    ['etc/.wh.passwd', { kind: 'whiteout', target: 'etc/passwd' }],
    ['.wh.top', { kind: 'whiteout', target: 'top' }],
    ['var/cache/.wh..wh..opq', { kind: 'opaque', directory: 'var/cache' }],
    ['etc/passwd', undefined],
    ['etc/x.wh.y', undefined],
  ])('classifies %j', (path, expected) => {
    expect(whiteoutOf(path)).toEqual(expected);
  });
});
