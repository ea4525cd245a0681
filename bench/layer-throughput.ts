/**
 * Layer throughput: streams a large gzip layer through the engine with analyser-like path
 * selection, and prints MB/s of compressed input and peak RSS beside `gzip -dc` and
 * `libdeflate-gunzip` on the same file. Run with `npm run bench` (builds the layers in
 * {@link LAYERS} on first use into .bench/).
 *
 *   npm run bench                 the three layers
 *   npm run bench -- FILE.tar.gz  one layer of your own
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { verified } from '../shared/image/digest';
import { join } from 'node:path';
import { MediaType } from '../shared/image/media-types';
import { walkLayer } from '../shared/layers/walk';

const BENCH_DIR = '.bench';
const MB = 1e6;
const WORKER_FLAG = '--worker';
const ZLIB_FLAG = '--zlib-only';

/**
 * Files the first analysers will ask for: OS release and package databases, language manifests,
 * and Debian's per-package copyright files (licences).
 */
const ANALYSER_PATHS =
  /(^|\/)(os-release|status|installed|Packages|rpmdb\.sqlite|package\.json|METADATA|PKG-INFO|[^/]+\.gemspec|[^/]+\.deps\.json|pom\.properties|copyright)$/;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === WORKER_FLAG) return worker(args[1]!);
  if (args[0] === ZLIB_FLAG) return zlibOnly(args[1]!);
  const layers = args.length > 0 ? args : Object.keys(LAYERS).map(ensureLayer);
  for (const layer of layers) report(layer);
}

function report(file: string): void {
  const size = statSync(file).size;
  console.log(`\n${file}: ${(size / MB).toFixed(0)} MB compressed`);
  const engine = JSON.parse(
    execFileSync(process.execPath, [__filename, WORKER_FLAG, file], { encoding: 'utf8' }),
  ) as WorkerResult;
  console.log(
    row(
      'clearance engine',
      size,
      engine.seconds,
      engine.maxRssKiB,
      `${engine.entries} entries, ${(engine.uncompressed / MB).toFixed(0)} MB uncompressed, ${engine.selected} files selected`,
    ),
  );
  const zlib = JSON.parse(
    execFileSync(process.execPath, [__filename, ZLIB_FLAG, file], { encoding: 'utf8' }),
  ) as WorkerResult;
  console.log(
    row('node zlib alone', size, zlib.seconds, zlib.maxRssKiB, 'gunzip to nowhere: the ceiling'),
  );
  for (const [name, cmd] of [
    ['gzip -dc', ['gzip', '-dc', file]],
    ['libdeflate-gunzip', ['libdeflate-gunzip', '-c', file]],
  ] as const) {
    const timed = timeCommand(cmd);
    console.log(
      timed
        ? row(name, size, timed.seconds, timed.maxRssKiB)
        : `  ${name.padEnd(20)} not installed`,
    );
  }
}

interface WorkerResult {
  seconds: number;
  maxRssKiB: number;
  entries: number;
  uncompressed: number;
  selected: number;
}

/** The engine as a scan runs it: blob digest and diff_id verified, analyser paths selected. */
async function worker(file: string): Promise<void> {
  const size = statSync(file).size;
  const { digest, diffId } = digestsOf(file);
  const start = process.hrtime.bigint();
  let selected = 0;
  const blob = verified(createReadStream(file, { highWaterMark: 1 << 20 }), {
    digest,
    size,
    what: file,
  });
  const listing = await walkLayer(blob, {
    diffId,
    descriptor: { mediaType: MediaType.ociLayerGzip, digest, size },
    select: (entry) => ANALYSER_PATHS.test(entry.path),
    onFile: () => {
      selected++;
    },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const result: WorkerResult = {
    seconds,
    maxRssKiB: process.resourceUsage().maxRSS,
    entries: listing.entries.length,
    uncompressed: listing.uncompressedBytes,
    selected,
  };
  process.stdout.write(JSON.stringify(result));
}

async function zlibOnly(file: string): Promise<void> {
  const start = process.hrtime.bigint();
  await pipeline(
    createReadStream(file, { highWaterMark: 1 << 20 }),
    createGunzip({ chunkSize: 1 << 20 }),
    new Writable({ write: (_chunk, _encoding, callback) => callback() }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, maxRssKiB: process.resourceUsage().maxRSS }));
}

/** The layer's digest and diff_id, computed once with coreutils and kept beside it. */
function digestsOf(file: string): { digest: string; diffId: string } {
  const cache = `${file}.digests.json`;
  if (!existsSync(cache)) {
    const sum = (cmd: string) =>
      `sha256:${execFileSync('bash', ['-c', cmd], { encoding: 'utf8' }).slice(0, 64)}`;
    const digests = {
      digest: sum(`sha256sum < ${file}`),
      diffId: sum(`gzip -dc < ${file} | sha256sum`),
    };
    writeFileSync(cache, JSON.stringify(digests));
  }
  return JSON.parse(readFileSync(cache, 'utf8')) as { digest: string; diffId: string };
}

function timeCommand(cmd: readonly string[]): { seconds: number; maxRssKiB: number } | undefined {
  const which = spawnSync('sh', ['-c', `command -v ${cmd[0]}`]);
  if (which.status !== 0) return undefined;
  // /usr/bin/time is not always installed; bash's own rusage through a tiny wrapper is enough.
  const script = `start=$(date +%s.%N); ${cmd.map((c) => `'${c}'`).join(' ')} > /dev/null; end=$(date +%s.%N); echo "$start $end"`;
  const out = execFileSync('bash', ['-c', script], { encoding: 'utf8' }).trim().split(' ');
  return { seconds: Number(out[1]) - Number(out[0]), maxRssKiB: NaN };
}

function row(name: string, size: number, seconds: number, maxRssKiB: number, note = ''): string {
  const rss = Number.isNaN(maxRssKiB) ? '' : `peak RSS ${(maxRssKiB / 1024).toFixed(0)} MiB`;
  return `  ${name.padEnd(20)} ${(size / MB / seconds).toFixed(0).padStart(5)} MB/s  ${seconds.toFixed(2)} s  ${rss}  ${note}`.trimEnd();
}

/**
 * The benchmark layers, gzip -6 as `docker push` compresses, built on first use. `--hard-dereference`:
 * without it tar stores repeated files as hard links to the first copy.
 */
const LAYERS: Readonly<Record<string, { what: string; tar: string }>> = {
  'usr-share.tar.gz': { what: '/usr/share', tar: 'tar -cf - -C / usr/share' },
  'usr-share-x4.tar.gz': {
    what: '/usr/share four times over: 2.4 GB, 4x the entries',
    tar: 'tar --hard-dereference -cf - -C / usr/share usr/share usr/share usr/share',
  },
  'usr-share-plus-big-file.tar.gz': {
    what: '/usr/share and one 1.8 GB file: 2.4 GB, the entries of /usr/share',
    tar:
      'big=$(mktemp -d) && tar --hard-dereference -cf "$big/big.tar" -C / usr/share usr/share usr/share' +
      ' && tar -cf - -C / usr/share -C "$big" big.tar; rm -rf "$big"',
  },
};

function ensureLayer(name: string): string {
  const file = join(BENCH_DIR, name);
  if (existsSync(file)) return file;
  const layer = LAYERS[name]!;
  mkdirSync(BENCH_DIR, { recursive: true });
  console.error(`building ${file} (${layer.what}); this takes a minute or two …`);
  const zip = existsSync('/usr/bin/pigz') ? 'pigz -6' : 'gzip -6';
  const script = `set -o pipefail; { ${layer.tar}; } 2>/dev/null | ${zip} > ${file}.tmp && mv ${file}.tmp ${file}`;
  const child = spawnSync('bash', ['-c', script], { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`building ${file} failed`);
  return file;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
