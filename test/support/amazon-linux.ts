/**
 * Amazon Linux images for tests, with a real rpm database: each package is built by Debian's
 * `rpmbuild` from a small spec (no files, the name, epoch, version, release, arch, vendor and
 * source rpm of the real package) and installed with `rpm --justdb` into a sqlite rpmdb
 * (`/var/lib/rpm/rpmdb.sqlite`, as AL2023 keeps it), beside the release's real os-release.
 * Debian's rpm cannot write AL2's Berkeley DB: the rpm analyser's fixtures cover reading one
 * (test/fixtures/analyzers/rpm/amazon-2), and an AL2 image here carries a sqlite rpmdb.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, type BuiltImage } from './image-builder';

/** One installed package, as `rpm -q --qf '%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH}'` shows it. */
export interface RpmPackage {
  readonly name: string;
  /** @default - none (epoch 0) */
  readonly epoch?: number;
  readonly version: string;
  readonly release: string;
  /** @default 'x86_64' */
  readonly arch?: 'x86_64' | 'noarch';
  /** The source rpm's name; @default - the package's own */
  readonly source?: string;
}

/** `/etc/os-release` of Amazon Linux 2023 as the image ships it. */
export const AL2023_OS_RELEASE = `NAME="Amazon Linux"
VERSION="2023"
ID="amzn"
ID_LIKE="fedora"
VERSION_ID="2023"
PLATFORM_ID="platform:al2023"
PRETTY_NAME="Amazon Linux 2023.3.20240117"
ANSI_COLOR="0;33"
CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2023"
HOME_URL="https://aws.amazon.com/linux/amazon-linux-2023/"
DOCUMENTATION_URL="https://docs.aws.amazon.com/linux/"
SUPPORT_URL="https://aws.amazon.com/premiumsupport/"
BUG_REPORT_URL="https://github.com/amazonlinux/amazon-linux-2023"
VENDOR_NAME="AWS"
VENDOR_URL="https://aws.amazon.com/"
SUPPORT_END="2029-06-30"
`;

/** `/etc/os-release` of Amazon Linux 2 as the image ships it. */
export const AL2_OS_RELEASE = `NAME="Amazon Linux"
VERSION="2"
ID="amzn"
ID_LIKE="centos rhel fedora"
VERSION_ID="2"
PRETTY_NAME="Amazon Linux 2"
ANSI_COLOR="0;33"
CPE_NAME="cpe:2.3:o:amazon:amazon_linux:2"
HOME_URL="https://amazonlinux.com/"
SUPPORT_END="2026-06-30"
`;

/** The sqlite rpm database holding `packages`, as bytes (what an image's layer carries). */
export function rpmDatabase(packages: readonly RpmPackage[]): Buffer {
  const work = mkdtempSync(join(tmpdir(), 'clearance-rpmdb-'));
  try {
    const built = packages.map((p) => buildRpm(work, p));
    const db = join(work, 'db');
    const rpm = (...args: string[]) =>
      execFileSync('rpm', ['--dbpath', db, '--define', '_db_backend sqlite', ...args], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    rpm('--initdb');
    rpm('-i', '--justdb', '--nodeps', '--noscripts', '--ignorearch', '--ignoreos', ...built);
    // Checkpoint the write-ahead log into the database file, as a finished transaction leaves it.
    rpm('-qa');
    return readFileSync(join(db, 'rpmdb.sqlite'));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** An Amazon Linux image of `release`: its os-release and an rpmdb of `packages`, in one layer. */
export function amazonLinuxImage(
  release: '2' | '2023',
  packages: readonly RpmPackage[],
): Promise<BuiltImage> {
  return buildImage({
    layers: [
      {
        files: {
          'etc/os-release': release === '2' ? AL2_OS_RELEASE : AL2023_OS_RELEASE,
          'var/lib/rpm/rpmdb.sqlite': rpmDatabase(packages),
        },
      },
    ],
    config: { User: '1000', Healthcheck: { Test: ['CMD', '/bin/true'] } },
  });
}

/**
 * Builds `p` with rpmbuild. A package of another source rpm is that source's subpackage (`%package
 * -n`), so that its SOURCERPM is the source's, as openssl-libs' is openssl's.
 */
function buildRpm(work: string, p: RpmPackage): string {
  const arch = p.arch ?? 'x86_64';
  const top = join(work, `build-${p.name}`);
  const spec = join(work, `${p.name}.spec`);
  const source = p.source ?? p.name;
  const sub = source === p.name ? [] : [`%package -n ${p.name}`, 'Summary: a subpackage'];
  const of = source === p.name ? '' : ` -n ${p.name}`;
  writeFileSync(
    spec,
    [
      `Name: ${source}`,
      `Version: ${p.version}`,
      `Release: ${p.release}`,
      ...(p.epoch !== undefined ? [`Epoch: ${p.epoch}`] : []),
      'Summary: clearance test package',
      'License: MIT',
      'Vendor: Amazon Linux',
      `BuildArch: ${arch}`,
      'AutoReqProv: no',
      '%description',
      'A package of a test image.',
      ...sub,
      `%description${of}`,
      'A package of a test image.',
      `%files${of}`,
      '',
    ].join('\n'),
  );
  execFileSync(
    'rpmbuild',
    ['--quiet', '-bb', '--define', `_topdir ${top}`, '--define', '_build_id_links none', spec],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' },
    },
  );
  const dir = join(top, 'RPMS', arch);
  const file = readdirSync(dir).find((f) => f.startsWith(`${p.name}-${p.version}-`));
  if (file === undefined) throw new Error(`rpmbuild made no package ${p.name} in ${dir}`);
  return join(dir, file);
}
