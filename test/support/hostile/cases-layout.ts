/**
 * The containers of an image: OCI layouts whose index.json is 100 MB or /dev/zero, blobs that
 * are missing or directories, and docker archives whose manifest.json points outside the tar.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MiB, pseudoRandom } from './bytes';
import { archiveCase, ociCase, type Expectation, type HostileCase } from './case';
import {
  APP_FILES,
  BASE_FILES,
  baseLayers,
  blobPath,
  bytesOf,
  classicArchiveEntries,
  indexOf,
  writeArchive,
  writeImage,
  type WrittenImage,
} from './image';
import type { FileSpec } from '../image-builder';

function layoutCase(
  id: string,
  description: string,
  expectation: Expectation,
  after: (dir: string, image: WrittenImage) => Promise<void>,
): HostileCase {
  return ociCase({
    id,
    description,
    expectation,
    async write(dir) {
      const layers = await baseLayers();
      const image = await writeImage(dir, layers);
      await after(dir, image);
    },
  });
}

function archive(
  id: string,
  description: string,
  expectation: Expectation,
  entries: () => Promise<Record<string, FileSpec>> | Record<string, FileSpec>,
  bend?: (bytes: Buffer) => Buffer,
): HostileCase {
  return archiveCase({
    id,
    description,
    expectation,
    async write(dir) {
      const file = join(dir, 'image.tar');
      await writeArchive(file, await entries());
      if (bend !== undefined) await writeFile(file, bend(await readFile(file)));
    },
  });
}

const layersOf = [BASE_FILES, APP_FILES];

/** index.json of `bytes` bytes: the real entry, with a 100 MB annotation, written in chunks. */
async function hugeIndex(dir: string, image: WrittenImage, bytes: number): Promise<void> {
  const index = JSON.stringify(indexOf(image.manifestDescriptor));
  const open = index.slice(0, -1); // without the closing brace
  const fill = bytes - open.length - ',"annotations":{"padding":""}}'.length;
  await pipeline(
    function* () {
      yield Buffer.from(`${open},"annotations":{"padding":"`);
      for (let left = fill; left > 0; left -= MiB) yield Buffer.alloc(Math.min(MiB, left), 'p');
      yield Buffer.from('"}}');
    },
    createWriteStream(join(dir, 'index.json')),
  );
}

export const LAYOUT_CASES: readonly HostileCase[] = [
  ociCase({
    id: 'baseline',
    description: 'the control: the corpus baseline image, well formed; every command must succeed',
    expectation: 'valid-unusual',
    async write(dir) {
      await writeImage(dir, await baseLayers());
    },
  }),
  layoutCase(
    'index-json-100mb',
    'index.json of 100 MB (a valid document with one huge annotation)',
    'invalid',
    (dir, image) => hugeIndex(dir, image, 100 * MiB),
  ),
  layoutCase(
    'index-json-dev-zero',
    'index.json is a symbolic link to /dev/zero',
    'invalid',
    async (dir) => {
      await unlink(join(dir, 'index.json'));
      await symlink('/dev/zero', join(dir, 'index.json'));
    },
  ),
  layoutCase('index-json-directory', 'index.json is a directory', 'invalid', async (dir) => {
    await unlink(join(dir, 'index.json'));
    await mkdir(join(dir, 'index.json'));
  }),
  layoutCase('oci-layout-missing', 'the layout has no oci-layout file', 'invalid', (dir) =>
    unlink(join(dir, 'oci-layout')),
  ),
  layoutCase('oci-layout-garbage', 'oci-layout is 4 KiB of random bytes', 'invalid', (dir) =>
    writeFile(join(dir, 'oci-layout'), pseudoRandom('oci-layout', 4096)),
  ),
  layoutCase(
    'missing-layer-blob',
    "a layer's blob is not in the layout",
    'invalid',
    async (dir, image) => {
      const layers = (JSON.parse(image.manifest.toString()) as { layers: { digest: string }[] })
        .layers;
      await unlink(blobPath(dir, layers[1]!.digest));
    },
  ),
  layoutCase(
    'missing-config-blob',
    "the config's blob is not in the layout",
    'invalid',
    async (dir, image) => {
      const { config } = JSON.parse(image.manifest.toString()) as { config: { digest: string } };
      await unlink(blobPath(dir, config.digest));
    },
  ),
  layoutCase(
    'layer-blob-directory',
    "a layer's blob path is a directory",
    'invalid',
    async (dir, image) => {
      const layers = (JSON.parse(image.manifest.toString()) as { layers: { digest: string }[] })
        .layers;
      await rm(blobPath(dir, layers[0]!.digest));
      await mkdir(blobPath(dir, layers[0]!.digest));
    },
  ),
  archive(
    'docker-archive-control',
    'the control: a classic docker save archive of the baseline',
    'valid-unusual',
    () => classicArchiveEntries(layersOf),
  ),
  archive(
    'docker-archive-layer-outside',
    'manifest.json names a layer ../../../../etc/passwd',
    'invalid',
    () =>
      classicArchiveEntries(layersOf, (m) => ({
        ...m,
        Layers: ['../../../../etc/passwd', (m.Layers as string[])[1]],
      })),
  ),
  archive(
    'docker-archive-config-absolute',
    'manifest.json names the config /etc/hostname',
    'invalid',
    () => classicArchiveEntries(layersOf, (m) => ({ ...m, Config: '/etc/hostname' })),
  ),
  archive(
    'docker-archive-layer-symlink',
    "manifest.json's first layer is a symbolic link entry to /etc/passwd",
    'invalid',
    async () => {
      const entries = await classicArchiveEntries(layersOf);
      const manifest = JSON.parse((entries['manifest.json'] as Buffer).toString()) as [
        { Layers: string[] },
      ];
      const first = manifest[0].Layers[0]!;
      return { ...entries, [first]: { type: 'symlink', linkname: '/etc/passwd' } };
    },
  ),
  archive(
    'docker-archive-manifest-garbage',
    'manifest.json is random bytes',
    'invalid',
    async () => ({
      ...(await classicArchiveEntries(layersOf)),
      'manifest.json': pseudoRandom('manifest.json', 2048),
    }),
  ),
  archive(
    'docker-archive-manifest-not-list',
    'manifest.json is an object, its Layers a string',
    'invalid',
    async () => ({
      ...(await classicArchiveEntries(layersOf)),
      'manifest.json': bytesOf({ Config: 'x.json', Layers: 'all' }),
    }),
  ),
  archive(
    'docker-archive-not-tar',
    'the archive is 64 KiB of random bytes',
    'invalid',
    () => ({}),
    () => pseudoRandom('docker-archive', 64 * 1024),
  ),
  archive(
    'docker-archive-truncated',
    'the archive is cut off in the middle of a layer',
    'invalid',
    () => classicArchiveEntries(layersOf),
    (b) => b.subarray(0, Math.floor(b.length * 0.6)),
  ),
  archive(
    'docker-archive-layer-tampered',
    "a layer.tar whose bytes are not its config's diff_id (a file changed after saving)",
    'invalid-digest',
    async () => {
      const entries = await classicArchiveEntries(layersOf);
      const manifest = JSON.parse((entries['manifest.json'] as Buffer).toString()) as [
        { Layers: string[] },
      ];
      const first = manifest[0].Layers[0]!;
      const tar = Buffer.from(entries[first] as Buffer);
      const at = tar.indexOf('bookworm');
      tar.write('bullseye', at);
      return { ...entries, [first]: tar };
    },
  ),
];
