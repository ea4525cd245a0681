import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { updateinfoLocation } from '../../../shared/vulndb/alas';
import { ALAS_FIXTURES, repomd } from '../../support/alas-mirror';

describe('updateinfoLocation', () => {
  describe('when the repository publishes an updateinfo', () => {
    it('gives its location, checksum and size', () => {
      const xml = repomd(Buffer.from('updateinfo bytes')).toString('utf8');
      expect(updateinfoLocation(xml)).toEqual({
        href: expect.stringMatching(/^repodata\/[0-9a-f]{64}-updateinfo\.xml\.gz$/) as unknown,
        checksum: { algorithm: 'sha256', hex: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown },
        size: 16,
      });
    });

    it.each([
      ['sha', 'sha1'],
      ['sha512', 'sha512'],
    ])('reads the checksum type %s as %s', (type, algorithm) => {
      const xml = `<repomd><data type="updateinfo"><checksum type="${type}">AB12</checksum><location href="repodata/u.xml.gz"/></data></repomd>`;
      expect(updateinfoLocation(xml)).toEqual({
        href: 'repodata/u.xml.gz',
        checksum: { algorithm, hex: 'ab12' },
      });
    });

    it('leaves out a checksum of an unknown type and a size that is not a number', () => {
      const xml =
        '<repomd><data type="updateinfo"><checksum type="md5">ab</checksum><location href="u.gz"/><size>big</size></data></repomd>';
      expect(updateinfoLocation(xml)).toEqual({ href: 'u.gz' });
    });
  });

  describe('when it publishes none', () => {
    it('gives null', () => {
      const xml = readFileSync(join(ALAS_FIXTURES, 'repomd-no-updateinfo.xml'), 'utf8');
      expect(updateinfoLocation(xml)).toBeNull();
    });
  });

  describe('failures', () => {
    it.each([
      ['it is not XML', '{"data": []}', /^not a repomd\.xml: /],
      ['its root is not <repomd>', '<updates/>', 'not a repomd.xml: its root is <updates>'],
      ['it is cut short', '<repomd><data type="updateinfo">', /^not a repomd\.xml: .*unclosed tag/],
      ['it is empty', '', /^not a repomd\.xml: /],
    ])('throws when %s', (_, xml, message) => {
      expect(() => updateinfoLocation(xml)).toThrow(message);
    });
  });
});
