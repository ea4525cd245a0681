/**
 * Writes the demo image the README's first command inspects: an OCI layout with a two-platform
 * index (amd64 gzip, arm64 zstd) and a BuildKit attestation, three layers with a whiteout, an
 * image config with a user, a healthcheck and labels. Deterministic: same bytes every run.
 *
 *   npm run demo-image   (rewrites examples/demo-image)
 */
import { rmSync } from 'node:fs';
import {
  buildImage,
  buildIndex,
  writeOciLayout,
  type Compression,
  type ImageSpec,
} from '../test/support/image-builder';

const DPKG_STATUS = [
  'Package: base-files\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.4+deb12u7\n',
  'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nSource: glibc\nVersion: 2.36-9+deb12u8\n',
  'Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\nVersion: 3.0.15-1~deb12u1\nDepends: libc6 (>= 2.34)\n',
  'Package: python3-six\nStatus: install ok installed\nArchitecture: all\nSource: six\nVersion: 1.16.0-4\n',
].join('\n');
const SIX_METADATA = 'usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA';

const OS_RELEASE =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n';

function spec(architecture: string, compression: Compression, variant?: string): ImageSpec {
  return {
    platform: { os: 'linux', architecture, ...(variant !== undefined && { variant }) },
    layers: [
      {
        compression,
        files: {
          'etc/': { type: 'dir' },
          'etc/os-release': OS_RELEASE,
          'bin/': { type: 'dir' },
          'bin/sh': { type: 'symlink', linkname: 'dash' },
          'var/lib/dpkg/status': DPKG_STATUS,
          'var/lib/dpkg/info/python3-six.list': `/.\n/${SIX_METADATA}\n`,
          [SIX_METADATA]: 'Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n',
          'tmp/build.log': 'scratch',
        },
      },
      {
        compression,
        files: {
          'app/': { type: 'dir' },
          'app/package.json':
            '{"name":"demo","version":"1.0.0","dependencies":{"left-pad":"^1.3.0"}}\n',
          'app/node_modules/left-pad/package.json':
            '{"name":"left-pad","version":"1.3.0","license":"WTFPL"}\n',
          'app/server.js': 'console.log("hello")\n',
        },
      },
      { compression, files: { 'tmp/.wh.build.log': '' } },
    ],
    config: {
      User: '10001',
      Entrypoint: ['node', '/app/server.js'],
      ExposedPorts: { '8080/tcp': {} },
      Healthcheck: { Test: ['CMD', 'node', '/app/health.js'], Interval: 30_000_000_000 },
      Labels: {
        'org.opencontainers.image.source': 'https://example.com/demo',
        'org.opencontainers.image.version': '1.0.0',
      },
    },
    history: [
      { created_by: 'debootstrap' },
      { created_by: 'COPY app /app' },
      { created_by: 'RUN rm /tmp/build.log' },
    ],
  };
}

async function main(dir: string): Promise<void> {
  const amd64 = await buildImage(spec('amd64', 'gzip'));
  const arm64 = await buildImage(spec('arm64', 'zstd', 'v8'));
  rmSync(dir, { recursive: true, force: true });
  await writeOciLayout(dir, { latest: await buildIndex([amd64, arm64], { attestation: true }) });
  console.log(`wrote ${dir} (oci:${dir}:latest)`);
}

main(process.argv[2] ?? 'examples/demo-image').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
