import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { resolveImage } from '../../shared/image';
import { MAX_ARCHIVE_ENTRIES } from '../../shared/sources/archive-index';
import { MAX_INDEX_BYTES, openImageSource } from '../../shared/sources';
import { buildImage, tarOf, writeOciLayout, type BuiltImage } from '../support/image-builder';
import { readAll, rejection } from '../support/read';
import { useTempDir } from '../support/temp';

/** Replaces `path` with a FIFO (nobody ever writes to it: opening it must not wait). */
function fifoAt(path: string): void {
  rmSync(path, { recursive: true, force: true });
  execFileSync('mkfifo', [path]);
}

function replaceWith(path: string, make: (path: string) => void): void {
  rmSync(path, { recursive: true, force: true });
  make(path);
}

describe('local image files', () => {
  const dir = useTempDir();
  const layout = () => join(dir(), 'layout');
  let built: BuiltImage;

  beforeEach(async () => {
    built = await buildImage({ layers: [{ files: { 'etc/os-release': 'ID=alpine\n' } }] });
    await writeOciLayout(layout(), { v1: built });
  });

  const resolve = () => resolveImage(openImageSource(`oci:${layout()}:v1`));
  const blobPath = (digest: string) => join(layout(), 'blobs', 'sha256', digest.slice(7));
  const layerPath = () => blobPath(built.layers[0]!.descriptor.digest);
  const openLayer = async () =>
    readAll(await openImageSource(`oci:${layout()}:v1`).openBlob(built.layers[0]!.descriptor));

  describe("when an OCI layout's index.json is hostile", () => {
    it.each<[string, (path: string) => void, RegExp]>([
      [
        'a symlink to /dev/zero',
        (p) => symlinkSync('/dev/zero', p),
        /not a regular file but a character device/,
      ],
      ['a FIFO', fifoAt, /not a regular file but a FIFO/],
      ['a directory', (p) => mkdirSync(p), /not a regular file but a directory/],
      [
        'over the index cap',
        (p) => {
          writeFileSync(p, '{}');
          truncateSync(p, MAX_INDEX_BYTES + 1);
        },
        /index.json of .* is larger than 16 MiB/,
      ],
      ['a symlink out of the layout', (p) => symlinkSync('/etc/hostname', p), /leads outside/],
    ])('fails when it is %s, naming the file', async (_, make, message) => {
      replaceWith(join(layout(), 'index.json'), make);
      const error = await rejection(resolve());
      expect(error).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT', kind: 'input' });
      expect(error.message).toMatch(message);
      expect(error.message).toContain('index.json');
    });

    it('reads an index.json just under the cap', async () => {
      const index = join(layout(), 'index.json');
      const { readFileSync } = await import('node:fs');
      const json = readFileSync(index, 'utf8').trimEnd();
      writeFileSync(index, json.padEnd(MAX_INDEX_BYTES - 1, ' '));
      expect((await resolve()).digest).toBe(built.descriptor.digest);
    });
  });

  describe("when an OCI layout's oci-layout file is hostile", () => {
    it.each<[string, (path: string) => void]>([
      ['a symlink to /dev/zero', (p) => symlinkSync('/dev/zero', p)],
      ['a FIFO', fifoAt],
      ['huge', (p) => writeFileSync(p, ' '.repeat(1 << 20))],
    ])('fails when it is %s', async (_, make) => {
      replaceWith(join(layout(), 'oci-layout'), make);
      const error = await rejection(resolve());
      expect(error).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT' });
      expect(error.message).toContain('oci-layout');
    });
  });

  describe('when a blob is not a regular file of the layout', () => {
    it.each<[string, (path: string) => void, RegExp]>([
      ['a directory', (p) => mkdirSync(p), /not a regular file but a directory/],
      ['a FIFO', fifoAt, /not a regular file but a FIFO/],
      ['a symlink to /dev/zero', (p) => symlinkSync('/dev/zero', p), /character device/],
      ['a symlink to a dangling target', (p) => symlinkSync('/nonexistent/blob', p), /missing/],
    ])('fails when the layer blob is %s', async (_, make, message) => {
      replaceWith(layerPath(), make);
      const error = await rejection(openLayer());
      expect(error).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT' });
      expect(error.message).toMatch(message);
      expect(error.message).toContain(built.layers[0]!.descriptor.digest);
    });

    it('fails when a blob is a symlink out of the layout, even to the right bytes', async () => {
      const outside = join(dir(), 'elsewhere');
      copyFileSync(layerPath(), outside);
      replaceWith(layerPath(), (p) => symlinkSync(outside, p));
      const error = await rejection(openLayer());
      expect(error).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT' });
      expect(error.message).toContain(`leads outside ${layout()} (to ${outside})`);
    });

    it('fails when the config blob is a directory', async () => {
      replaceWith(blobPath(built.configDescriptor.digest), (p) => mkdirSync(p));
      expect(await rejection(resolve())).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT' });
    });

    it('fails when the manifest blob is a symlink to /dev/zero', async () => {
      replaceWith(blobPath(built.descriptor.digest), (p) => symlinkSync('/dev/zero', p));
      expect(await rejection(resolve())).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT' });
    });

    it('reads a blob that is a symlink within the layout', async () => {
      const moved = join(layout(), 'blobs', 'moved');
      renameSync(layerPath(), moved);
      symlinkSync('../moved', layerPath());
      expect(await openLayer()).toEqual(built.layers[0]!.blob);
    });
  });

  describe('when a docker archive is not a regular file', () => {
    it.each<[string, () => string, RegExp]>([
      ['/dev/zero', () => '/dev/zero', /character device/],
      [
        'a FIFO',
        () => {
          fifoAt(join(dir(), 'fifo.tar'));
          return join(dir(), 'fifo.tar');
        },
        /FIFO/,
      ],
      ['a directory', () => dir(), /directory/],
    ])('fails at once when it is %s', async (_, path, message) => {
      const error = await rejection(resolveImage(openImageSource(`docker-archive:${path()}`)));
      expect(error).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT' });
      expect(error.message).toMatch(message);
    });
  });

  describe('when a docker archive has more entries than any image archive', () => {
    it(`fails past ${MAX_ARCHIVE_ENTRIES} entries`, async () => {
      const file = join(dir(), 'many.tar');
      const header = (await tarOf({ 'd/': { type: 'dir' } })).subarray(0, 512);
      const headers = Buffer.alloc(512 * (MAX_ARCHIVE_ENTRIES + 1));
      for (let at = 0; at < headers.length; at += 512) header.copy(headers, at);
      writeFileSync(file, Buffer.concat([headers, Buffer.alloc(1024)]));
      const error = await rejection(resolveImage(openImageSource(`docker-archive:${file}`)));
      expect(error).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT' });
      expect(error.message).toContain(`more than ${MAX_ARCHIVE_ENTRIES} entries`);
    });
  });
});
