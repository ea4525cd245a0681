import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalPathReferenceError, parseSourceReference } from '../../shared/sources';
import { useTempDir } from '../support/temp';

/** A tar's first header block: the magic is all that tells a tar from another file. */
function tarHeader(): Buffer {
  const block = Buffer.alloc(512);
  block.write('ustar', 257, 'latin1');
  return block;
}

describe('parseSourceReference', () => {
  const dir = useTempDir();

  describe('when the reference names a local path without its transport', () => {
    it.each([
      [
        'an OCI layout directory',
        'layout',
        /is a local OCI layout directory, .*name it oci:.*layout$/,
      ],
      [
        'a tar archive',
        'image.tar',
        /is a local tar archive, .*name it docker-archive:.*image\.tar$/,
      ],
      [
        'a directory that is no layout',
        'empty',
        /is a local directory, not an image: .*oci-layout and index\.json$/,
      ],
      ['another file', 'notes.txt', /is a local file, not an image: .*docker-archive:FILE$/],
    ])('fails when it is %s, naming the transport to use', (_, name, message) => {
      mkdirSync(join(dir(), 'layout'));
      writeFileSync(join(dir(), 'layout', 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
      writeFileSync(join(dir(), 'image.tar'), tarHeader());
      mkdirSync(join(dir(), 'empty'));
      writeFileSync(join(dir(), 'notes.txt'), 'not an image');
      const parse = () => parseSourceReference(join(dir(), name));
      expect(parse).toThrow(LocalPathReferenceError);
      expect(parse).toThrow(message);
    });
  });

  describe('when the reference has a transport or names no local path', () => {
    it.each([
      ['a registry reference', 'registry.example/team/app:1.0', 'docker'],
      ['docker://', 'docker://examples/demo-image', 'docker'],
      ['oci:', 'oci:examples/demo-image', 'oci'],
    ])('parses %s as before', (_, text, transport) => {
      expect(parseSourceReference(text).transport).toBe(transport);
    });
  });
});
