/**
 * The engine against a real Debian bookworm image built by ../shared/tools/build-debian-image.sh
 * (debootstrap → umoci → skopeo). Runs when CLEARANCE_DEBIAN_IMAGE names the build directory;
 * .ci/run builds it. Ground truth is the unpacked rootfs and dpkg-query's view of it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { resolveImage } from '../../shared/image';
import { mergeLayers, readLayers, type LayerListing, type SelectedFile } from '../../shared/layers';
import { scanImage } from '../../shared/scan';
import { openImageSource } from '../../shared/sources';
import { clearance } from '../support/cli';
import { startRegistry } from '../support/registry-server';

const dir = process.env.CLEARANCE_DEBIAN_IMAGE;
if (dir !== undefined && !existsSync(join(dir, 'image.tar'))) {
  throw new Error(
    `CLEARANCE_DEBIAN_IMAGE=${dir} has no image.tar; build it with ../shared/tools/build-debian-image.sh ${dir}`,
  );
}
// Opt-in, not a missing tool: building the image needs debootstrap, root and Debian's mirrors,
// which a plain `npm test` does not have; .ci/run builds it and sets the variable.
const describeWithImage =
  dir === undefined
    ? (name: string, body: () => void) =>
        describe.skip(
          `${name} (skipped: CLEARANCE_DEBIAN_IMAGE is not set; build one with ../shared/tools/build-debian-image.sh DIR and set it to DIR)`,
          body,
        )
    : describe;
const DPKG_STATUS = 'var/lib/dpkg/status';

describeWithImage('a real Debian image', () => {
  const oci = `oci:${dir}/oci:latest`;
  const archive = `docker-archive:${dir}/image.tar`;

  it('resolves to the same config and diff_ids from the OCI layout and the docker archive', async () => {
    const [a, b] = await Promise.all([
      resolveImage(openImageSource(oci)),
      resolveImage(openImageSource(archive)),
    ]);
    expect(b.manifests[0]!.configDescriptor.digest).toBe(a.manifests[0]!.configDescriptor.digest);
    expect(b.manifests[0]!.layers.map((l) => l.diffId)).toEqual(
      a.manifests[0]!.layers.map((l) => l.diffId),
    );
  });

  it.each([
    ['OCI layout', oci],
    ['docker archive', archive],
  ])(
    'merges the layers of the %s into exactly the unpacked root filesystem',
    async (_kind, reference) => {
      const source = openImageSource(reference);
      const [image] = (await resolveImage(source)).manifests;
      const files: SelectedFile[] = [];
      const results = await readLayers(source, image!, {
        select: (e) => e.path === DPKG_STATUS,
        onFile: (f) => void files.push(f),
      });
      const listings = results.map((r) => (r.ok ? r.listing : fail(r.error)));
      expect(listings.flatMap((l) => l.problems)).toEqual([]);
      expect(treeOf(listings)).toEqual(rootfsTree(join(dir!, 'rootfs')));
      const status = files.at(-1)!;
      expect(status.bytes.equals(readFileSync(join(dir!, 'rootfs', DPKG_STATUS)))).toBe(true);
      expect(installedPackages(status.bytes)).toBe(
        readFileSync(join(dir!, 'dpkg-query.tsv'), 'utf8').trim().split('\n').length,
      );
    },
  );

  it('scans a dpkg inventory equal to dpkg-query in that root, name for name and version for version', async () => {
    const [report] = await scanImage(openImageSource(oci), { today: new Date('2026-11-23') });
    const actual = report!.packages
      .filter((p) => p.type === 'deb')
      .map((p) =>
        [
          p.name,
          p.version,
          new URLSearchParams(p.purl.split('?')[1]).get('arch'),
          p.source!.name,
          p.source!.version,
        ].join('\t'),
      )
      .sort();
    const expected = readFileSync(join(dir!, 'dpkg-query.tsv'), 'utf8').trim().split('\n').sort();
    expect(actual).toEqual(expected);
    expect(report!.os).toMatchObject({
      id: 'debian',
      versionId: '12',
      versionCodename: 'bookworm',
    });
    expect(report!.problems).toEqual([]);
  });

  it('is read back from a registry with basic auth, gzip and zstd, through the CLI', async () => {
    const registry = await startRegistry({ auth: { username: 'ci', password: 'secret' } });
    try {
      // zstd first: skopeo reuses (mounts) blobs the registry already has, so after a gzip push it
      // would not recompress.
      for (const [tag, compress] of [
        ['zstd', ['--dest-compress-format', 'zstd']],
        ['gzip', []],
      ] as const) {
        const reference = `${registry.host}/debian-${tag}:12`;
        execFileSync('skopeo', [
          'copy',
          '-q',
          '--dest-tls-verify=false',
          '--dest-creds',
          'ci:secret',
          ...compress,
          oci,
          `docker://${reference}`,
        ]);
        const result = await clearance([
          'inspect',
          '--verify',
          reference,
          '--username',
          'ci',
          '--password',
          'secret',
        ]);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const layers = result.json<{
          manifests: { layers: { mediaType: string; verification: { ok: boolean } }[] }[];
        }>().manifests[0]!.layers;
        expect(layers.map((l) => [l.mediaType, l.verification.ok])).toEqual(
          layers.map(() => [`application/vnd.oci.image.layer.v1.tar+${tag}`, true]),
        );
      }
    } finally {
      await registry.stop();
    }
  });
});

function fail(error: Error): never {
  throw error;
}

type Tree = Record<string, string>;

/** path → type (and symlink target) of the merged layers; hard links compare as the files they are. */
function treeOf(listings: readonly LayerListing[]): Tree {
  const tree: Tree = {};
  for (const e of mergeLayers(listings).entries()) {
    tree[e.path] =
      e.type === 'symlink' ? `symlink→${e.linkTarget}` : e.type === 'hardlink' ? 'file' : e.type;
  }
  return tree;
}

/** The same view of a directory on disk; devices, FIFOs and sockets are left out as the engine ignores them. */
function rootfsTree(root: string, prefix = '', tree: Tree = {}): Tree {
  for (const name of readdirSync(join(root, prefix)).sort()) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    const stat = lstatSync(join(root, path));
    if (stat.isSymbolicLink()) tree[path] = `symlink→${readlinkSync(join(root, path))}`;
    else if (stat.isFile()) tree[path] = 'file';
    else if (stat.isDirectory()) {
      tree[path] = 'directory';
      rootfsTree(root, path, tree);
    }
  }
  return tree;
}

function installedPackages(status: Buffer): number {
  return status
    .toString('utf8')
    .split('\n\n')
    .filter((stanza) => /^Status: install ok installed$/m.test(stanza)).length;
}
