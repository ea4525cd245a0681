/**
 * Hostile layer tars: paths that climb out of the root, links that point nowhere or outside,
 * PAX and GNU headers that lie or are huge, a million entries, whiteouts of nothing. Each is
 * the third layer of the baseline image, gzip-compressed, digest and diff_id correct.
 */
import { join } from 'node:path';
import { sha256Digest } from '../../../shared/image/digest';
import { MediaType } from '../../../shared/image/media-types';
import { compress } from '../image-builder';
import { MiB, TAR_END, pseudoRandom, tarPadding, writeStreamedLayer } from './bytes';
import { ociCase, type Expectation, type HostileCase } from './case';
import { OS_RELEASE, baseLayers, blobLayer, writeImage, type LayerBlob } from './image';
import { gnuLongName, paxEntry, tarEntry, tarHeader } from './tar';

const MILLION = 1_000_000;
/** Headers are yielded this many at a time: a million 512-byte writes would crawl. */
const BATCH = 4096;

function tarCase(
  id: string,
  description: string,
  expectation: Expectation,
  tar: () => Buffer,
): HostileCase {
  return ociCase({
    id,
    description,
    expectation,
    async write(dir) {
      const bytes = tar();
      const layer = blobLayer(compress(bytes, 'gzip'), sha256Digest(bytes), MediaType.ociLayerGzip);
      await writeImage(dir, await baseLayers(layer));
    },
  });
}

/** A case whose tar is streamed to disk (gzip) rather than built in memory. */
function streamedCase(
  id: string,
  description: string,
  expectation: Expectation,
  tar: () => Iterable<Buffer>,
): HostileCase {
  return ociCase({
    id,
    description,
    expectation,
    async write(dir) {
      const file = join(dir, 'layer.partial');
      const blob = await writeStreamedLayer(file, tar(), 'gzip');
      const layer: LayerBlob = { ...blob, mediaType: MediaType.ociLayerGzip, file };
      await writeImage(dir, await baseLayers(layer));
    },
  });
}

const tar = (...entries: Buffer[]): Buffer => Buffer.concat([...entries, TAR_END]);
const dir = (name: string): Buffer => tarEntry(name, '', { type: '5', mode: 0o755 });
const link = (name: string, target: string, type = '2'): Buffer =>
  tarEntry(name, '', { type, linkname: target });

/**
 * `count` empty files named by `name(i)`, in batches: one header is made, then copied with
 * each name and its checksum patched (a header per entry from scratch takes seconds more).
 */
function* manyEntries(count: number, name: (i: number) => string): Generator<Buffer> {
  const template = tarHeader({ name: '' });
  const baseSum = parseInt(template.toString('latin1', 148, 154), 8);
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH);
    const batch = Buffer.alloc((end - start) * template.length);
    for (let i = start; i < end; i++) {
      const at = (i - start) * template.length;
      template.copy(batch, at);
      const written = batch.write(name(i), at, 100, 'latin1');
      let sum = baseSum;
      for (let j = at; j < at + written; j++) sum += batch[j]!;
      batch.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 'latin1');
    }
    yield batch;
  }
  yield TAR_END;
}

/** A PAX header whose one record is `comment=` and `bytes` bytes of 'a', then a file. */
function* hugePax(bytes: number): Generator<Buffer> {
  const prefixLength = String(bytes).length;
  // `LEN comment=aaaa…\n` of `bytes` bytes in all: LEN, a space, "comment=", the a's, "\n".
  const value = bytes - prefixLength - ' comment=\n'.length;
  yield tarHeader({ name: 'PaxHeaders/huge', type: 'x', size: bytes });
  yield Buffer.from(`${bytes} comment=`);
  for (let left = value; left > 0; left -= MiB) yield Buffer.alloc(Math.min(MiB, left), 'a');
  yield Buffer.from('\n');
  yield tarPadding(bytes);
  yield tarEntry('opt/after-huge-pax', 'still here\n');
  yield TAR_END;
}

/** A GNU long-name entry whose name is `bytes` long, then a file. */
function* hugeLongName(bytes: number): Generator<Buffer> {
  yield tarHeader({ name: '././@LongLink', type: 'L', size: bytes, format: 'gnu' });
  for (let left = bytes - 1; left > 0; left -= MiB) yield Buffer.alloc(Math.min(MiB, left), 'n');
  yield Buffer.from('\0');
  yield tarPadding(bytes);
  yield tarEntry('opt/after-long-name', 'still here\n', { format: 'gnu' });
  yield TAR_END;
}

export const TAR_CASES: readonly HostileCase[] = [
  tarCase(
    'tar-dotdot-traversal',
    'entries named ../../../../etc/cron.d/evil and ../escape',
    'invalid',
    () =>
      tar(
        tarEntry('../../../../etc/cron.d/evil', '* * * * * root id\n'),
        tarEntry('../escape', 'x'),
      ),
  ),
  tarCase(
    'tar-nested-dotdot',
    'an entry usr/../../etc/shadow that climbs out midway',
    'invalid',
    () => tar(tarEntry('usr/../../etc/shadow', 'root::0:0:99999:7:::\n')),
  ),
  tarCase(
    'tar-pax-path-traversal',
    'a PAX path record ../../../root/.ssh/authorized_keys',
    'invalid',
    () =>
      tar(
        paxEntry({ path: '../../../root/.ssh/authorized_keys' }),
        tarEntry('innocent.txt', 'ssh-ed25519 AAAA\n'),
      ),
  ),
  tarCase(
    'tar-gnu-long-name-traversal',
    "a GNU long name of 40 '../' then etc/passwd",
    'invalid',
    () =>
      tar(
        gnuLongName(`${'../'.repeat(40)}etc/passwd`),
        tarEntry('short', 'root:x:0:0::/root:/bin/sh\n', { format: 'gnu' }),
      ),
  ),
  tarCase(
    'tar-absolute-paths',
    'entries named /etc/motd and /opt/abs/file (read as relative to the root)',
    'valid-unusual',
    () =>
      tar(tarEntry('/etc/motd', 'welcome\n'), dir('/opt/abs/'), tarEntry('/opt/abs/file', 'x\n')),
  ),
  tarCase(
    'tar-symlink-loops',
    'symbolic links a→b→a, self→self, dir→., up→../loop/up',
    'valid-unusual',
    () =>
      tar(
        dir('loop/'),
        link('loop/a', 'b'),
        link('loop/b', 'a'),
        link('loop/self', 'self'),
        link('loop/dir', '.'),
        link('loop/up', '../loop/up'),
        link('loop/deep', 'dir/dir/dir/dir/dir/dir/a'),
      ),
  ),
  tarCase(
    'tar-symlinks-out-of-root',
    'etc/os-release → ../../../../../usr/lib/os-release (clamped at the root), links to /etc/shadow and ../../..',
    'valid-unusual',
    () =>
      tar(
        dir('usr/'),
        dir('usr/lib/'),
        tarEntry('usr/lib/os-release', OS_RELEASE),
        link('etc/os-release', '../../../../../usr/lib/os-release'),
        link('opt-shadow', '/etc/shadow'),
        link('opt-up', '../../../../../../../../'),
      ),
  ),
  tarCase(
    'tar-hard-link-to-nothing',
    'a hard link opt/link to opt/missing, which no layer has',
    'invalid',
    () => tar(dir('opt/'), link('opt/link', 'opt/missing', '1')),
  ),
  tarCase(
    'tar-hard-link-out-of-root',
    'a hard link opt/passwd to ../../../etc/passwd',
    'invalid',
    () => tar(dir('opt/'), link('opt/passwd', '../../../etc/passwd', '1')),
  ),
  tarCase('tar-pax-size-larger', 'a PAX size=1000000 on an entry of 10 bytes', 'invalid', () =>
    tar(
      paxEntry({ size: '1000000' }),
      tarEntry('opt/small', '0123456789'),
      tarEntry('opt/next', 'n'),
    ),
  ),
  tarCase('tar-pax-size-smaller', 'a PAX size=10 on an entry of 2,048 bytes', 'invalid', () =>
    tar(paxEntry({ size: '10' }), tarEntry('opt/big', 'X'.repeat(2048))),
  ),
  tarCase('tar-pax-size-negative', 'a PAX size=-1', 'invalid', () =>
    tar(paxEntry({ size: '-1' }), tarEntry('opt/file', 'x')),
  ),
  tarCase('tar-pax-nul-path', 'a PAX path record with a NUL byte in it', 'invalid', () =>
    tar(paxEntry({ path: 'opt/evil\0../../etc/passwd' }), tarEntry('opt/file', 'x')),
  ),
  tarCase(
    'tar-base256-size-lie',
    'a base-256 size field claiming 2^62 bytes for a 5-byte body',
    'invalid',
    () =>
      tar(
        Buffer.concat([
          tarHeader({ name: 'opt/liar', base256Size: 1n << 62n }),
          Buffer.from('short'),
          tarPadding(5),
        ]),
      ),
  ),
  tarCase('tar-bad-checksum', 'an entry whose header checksum is off by one', 'invalid', () =>
    tar(tarEntry('opt/first', 'ok'), tarEntry('opt/bad', 'x', { checksumDelta: 1 })),
  ),
  tarCase(
    'tar-truncated',
    'a tar cut off in the middle of a file body, no end blocks',
    'invalid',
    () =>
      Buffer.concat([
        tarEntry('opt/first', 'ok'),
        tarEntry('opt/cut', 'y'.repeat(4096)).subarray(0, 1536),
      ]),
  ),
  tarCase(
    'tar-no-end-marker',
    'a tar that ends after its last entry, without the two zero blocks',
    'valid-unusual',
    () => Buffer.concat([dir('opt/'), tarEntry('opt/file', 'ok\n')]),
  ),
  tarCase('tar-garbage', 'a layer whose tar is 64 KiB of random bytes', 'invalid', () =>
    pseudoRandom('tar-garbage', 64 * 1024),
  ),
  tarCase(
    'tar-whiteouts-of-nothing',
    'whiteouts of paths no layer has (.wh.never, nowhere/.wh.ghost, etc/.wh.absent) and an opaque marker in a new dir',
    'valid-unusual',
    () =>
      tar(
        tarEntry('.wh.never-existed'),
        dir('nowhere/'),
        tarEntry('nowhere/.wh.ghost'),
        tarEntry('etc/.wh.absent'),
        dir('fresh/'),
        tarEntry('fresh/.wh..wh..opq'),
        tarEntry('fresh/file', 'new\n'),
      ),
  ),
  tarCase('tar-device-files', 'character and block devices and a FIFO', 'valid-unusual', () =>
    tar(
      dir('dev/'),
      tarEntry('dev/null', '', { type: '3' }),
      tarEntry('dev/sda', '', { type: '4' }),
      tarEntry('dev/pipe', '', { type: '6' }),
    ),
  ),
  tarCase(
    'tar-duplicate-entries',
    'the same path twice in one layer (the later entry wins)',
    'valid-unusual',
    () =>
      tar(
        dir('opt/'),
        tarEntry('opt/dup', 'first\n'),
        tarEntry('opt/dup', 'second\n'),
        tarEntry('etc/os-release', OS_RELEASE),
      ),
  ),
  streamedCase('tar-pax-100mb', 'a PAX header whose one record is 100 MB long', 'invalid', () =>
    hugePax(100 * MiB),
  ),
  streamedCase('tar-gnu-long-name-64mib', 'a GNU long name of 64 MiB', 'invalid', () =>
    hugeLongName(64 * MiB),
  ),
  streamedCase(
    'tar-million-entries',
    'a layer of a million empty files (512 MB of tar headers)',
    'valid-unusual',
    () => manyEntries(MILLION, (i) => `many/${String(i).padStart(7, '0')}`),
  ),
  streamedCase(
    'tar-traversal-flood',
    'a layer of a million entries named ../escape-N',
    'invalid',
    () => manyEntries(MILLION, (i) => `../escape-${i}`),
  ),
];
