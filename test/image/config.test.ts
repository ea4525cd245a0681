import { parseImageConfig } from '../../shared/image/config';
import { InvalidManifestError } from '../../shared/image/errors';

const DIFF_ID = `sha256:${'a'.repeat(64)}`;
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const config = (fields: object = {}) => ({
  architecture: 'amd64',
  os: 'linux',
  config: { User: 'app', Labels: null },
  rootfs: { type: 'layers', diff_ids: [DIFF_ID] },
  history: [{ created_by: 'COPY . /app' }],
  ...fields,
});

describe('parseImageConfig', () => {
  describe('when the config is well formed', () => {
    it('returns the document itself, unknown fields kept', () => {
      const document = config({ 'moby.buildkit.buildinfo.v1': 'e30=' });
      expect(parseImageConfig(bytes(document), 'config')).toEqual(document);
    });

    it('reads a config of null and no history', () => {
      expect(
        parseImageConfig(bytes(config({ config: null, history: undefined })), 'c').rootfs,
      ).toEqual({
        type: 'layers',
        diff_ids: [DIFF_ID],
      });
    });
  });

  describe('when the config is malformed', () => {
    it.each([
      ['no rootfs', config({ rootfs: undefined }), 'rootfs.diff_ids is missing'],
      [
        'diff_ids that are a string',
        config({ rootfs: { diff_ids: 'x' } }),
        'rootfs.diff_ids is missing',
      ],
      [
        'a diff_id that is a number',
        config({ rootfs: { diff_ids: [DIFF_ID, 7] } }),
        'rootfs.diff_ids holds a value that is not a digest',
      ],
      ['a config that is a list', config({ config: [] }), 'config is not an object'],
      ['a history that is an object', config({ history: {} }), 'history is not an array'],
    ])('fails when it has %s', (_, document, detail) => {
      expect(() => parseImageConfig(bytes(document), 'c')).toThrow(InvalidManifestError);
      expect(() => parseImageConfig(bytes(document), 'c')).toThrow(`invalid c: ${detail}`);
    });
  });
});
