import { RpmError } from '../../../shared/analyzers/rpm/errors';
import { parseHeader, RpmTag } from '../../../shared/analyzers/rpm/header';
import { packageOf } from '../../../shared/analyzers/rpm/package';

const STRING = 6;

/** A header blob (no magic) holding the given STRING entries. */
function headerBlob(strings: Record<number, string>): Buffer {
  const tags = Object.keys(strings).map(Number);
  const data: Buffer[] = [];
  let offset = 0;
  const entries = tags.map((tag) => {
    const entry = Buffer.alloc(16);
    [tag, STRING, offset, 1].forEach((v, i) => entry.writeUInt32BE(v, i * 4));
    const bytes = Buffer.from(`${strings[tag]}\0`);
    data.push(bytes);
    offset += bytes.length;
    return entry;
  });
  const intro = Buffer.alloc(8);
  intro.writeUInt32BE(tags.length, 0);
  intro.writeUInt32BE(offset, 4);
  return Buffer.concat([intro, ...entries, ...data]);
}

describe('packageOf', () => {
  describe('when the header is a gpg-pubkey pseudo-package', () => {
    it('skips it', () => {
      const blob = headerBlob({ [RpmTag.name]: 'gpg-pubkey', [RpmTag.version]: 'fd431d51' });
      expect(packageOf(parseHeader(blob))).toBeUndefined();
    });
  });

  describe('when the header has only a name and version', () => {
    it('leaves out what it does not declare', () => {
      const blob = headerBlob({ [RpmTag.name]: 'bare', [RpmTag.version]: '1' });
      expect(packageOf(parseHeader(blob))).toEqual({
        type: 'rpm',
        name: 'bare',
        version: '1',
        dependencies: [],
        files: [],
      });
    });
  });

  describe('when the header is malformed', () => {
    it('throws an RpmError when a string runs past the data', () => {
      const blob = headerBlob({ [RpmTag.name]: 'cut', [RpmTag.version]: '1' });
      const cut = blob.subarray(0, blob.length - 1);
      cut.writeUInt32BE(cut.length - 8 - 32, 4);
      expect(() => packageOf(parseHeader(cut))).toThrow(RpmError);
    });

    it('throws an RpmError when NAME is missing', () => {
      expect(() => packageOf(parseHeader(headerBlob({ [RpmTag.version]: '1' })))).toThrow(
        'header: NAME or VERSION missing',
      );
    });
  });
});
