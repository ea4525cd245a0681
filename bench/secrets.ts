/**
 * Secret scanning: the scanner's throughput over real text (this machine's /usr/share and
 * /usr/lib/python3, files up to 1 MiB, as a scan reads them), beside `grep -E -i` of the same
 * keywords over the same bytes; then a whole-image scan with secrets on and off, over a gzip
 * layer of the same directories. Builds its inputs into .bench/secrets on first use.
 *
 *   npm run bench:secrets
 *
 * Targets (issue 5): ≥ 100 MB/s; a scan with secrets within 1.5× of one without.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  type Dirent,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { SECRET_RULES } from '../shared/secrets/rules';
import { MAX_SECRET_FILE_BYTES } from '../shared/secrets/analyzer';
import { SecretScanner } from '../shared/secrets/scanner';
import { scanImage } from '../shared/scan';
import { openImageSource } from '../shared/sources';

const BENCH_DIR = join('.bench', 'secrets');
const ROOTS = ['/usr/share', '/usr/lib/python3'];
const MB = 1e6;
const RUNS = 3;
/** Set in the child that times one whole-image scan. */
const SCAN_ONLY = 'CLEARANCE_BENCH_SCAN';

async function main(): Promise<void> {
  const only = process.env[SCAN_ONLY];
  if (only !== undefined) return timeScan(only === 'on');
  mkdirSync(BENCH_DIR, { recursive: true });
  // The scans first: a child's peak RSS can include what its parent held when it was forked.
  const image = ensureImage();
  console.log(
    `\nwhole-image scan, one gzip layer of ${ROOTS.join(' + ')} (${mb(image)} compressed)`,
  );
  for (const secrets of ['off', 'on']) {
    for (let run = 0; run < RUNS; run++) {
      const child = spawnSync(process.execPath, process.argv.slice(1), {
        env: { ...process.env, [SCAN_ONLY]: secrets },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (child.status !== 0) throw new Error(`the scan exited with ${child.status}`);
    }
  }
  scannerThroughput();
}

function scannerThroughput(): void {
  const files = readTexts();
  const bytes = files.reduce((sum, f) => sum + f.length, 0);
  const corpus = join(BENCH_DIR, 'corpus.txt');
  if (!existsSync(corpus)) writeFileSync(corpus, Buffer.concat(files));
  const scanner = new SecretScanner(SECRET_RULES);
  console.log(`\n${files.length} files, ${mb(bytes)} of text from ${ROOTS.join(' and ')}`);
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    let found = 0;
    for (const file of files) found += scanner.scanBytes(file).length;
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `  clearance scanner  ${rate(bytes, seconds)}  (${found} findings before allow paths)`,
    );
  }
  const keywords = [...new Set(SECRET_RULES.flatMap((r) => r.keywords))];
  const pattern = keywords.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    const out = spawnSync('grep', ['-E', '-i', '-c', '-e', pattern, corpus], { encoding: 'utf8' });
    const seconds = (performance.now() - start) / 1000;
    console.log(
      `  grep -E -i         ${rate(bytes, seconds)}  (${out.stdout.trim()} lines with a keyword)`,
    );
  }
}

/** Regular files up to the scanner's limit, as a scan hands them over, binaries included. */
function readTexts(): Buffer[] {
  const files: Buffer[] = [];
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && statSync(path).size <= MAX_SECRET_FILE_BYTES)
        files.push(readFileSync(path));
    }
  };
  for (const root of ROOTS) walk(root);
  return files;
}

/** An OCI layout with one gzip layer of the roots; its compressed size. */
function ensureImage(): number {
  const dir = join(BENCH_DIR, 'image');
  const layer = join(BENCH_DIR, 'layer.tar.gz');
  if (!existsSync(join(dir, 'index.json'))) {
    rmSync(dir, { recursive: true, force: true });
    const tar = resolve(BENCH_DIR, 'layer.tar');
    execFileSync('tar', ['-cf', tar, '--ignore-failed-read', ...ROOTS.map((r) => r.slice(1))], {
      cwd: '/',
      stdio: 'ignore',
    });
    const diffId = sha256(readFileSync(tar));
    execFileSync('gzip', ['-f', '-6', tar]);
    writeOciLayout(dir, readFileSync(layer), diffId);
  }
  return statSync(layer).size;
}

function writeOciLayout(dir: string, blob: Buffer, diffId: string): void {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (bytes: Buffer) => {
    const digest = sha256(bytes);
    writeFileSync(join(blobs, digest.slice('sha256:'.length)), bytes);
    return { digest, size: bytes.length };
  };
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: {},
      rootfs: { type: 'layers', diff_ids: [diffId] },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...put(config) },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...put(blob) }],
    }),
  );
  const root = put(manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...root,
          annotations: { 'org.opencontainers.image.ref.name': 'bench' },
        },
      ],
    }),
  );
}

async function timeScan(secrets: boolean): Promise<void> {
  const source = openImageSource(`oci:${join(BENCH_DIR, 'image')}:bench`);
  const start = performance.now();
  const [report] = await scanImage(source, { today: new Date(), secrets });
  const seconds = (performance.now() - start) / 1000;
  await source.close();
  const rss = (process.resourceUsage().maxRSS / 1024).toFixed(0);
  console.log(
    `  secrets ${secrets ? 'on ' : 'off'}  ${seconds.toFixed(2)} s  peak RSS ${rss} MiB  (${report!.secrets?.length ?? '-'} secrets)`,
  );
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const rate = (bytes: number, seconds: number) =>
  `${(bytes / MB / seconds).toFixed(0).padStart(5)} MB/s  ${seconds.toFixed(2)} s`;

void main();
