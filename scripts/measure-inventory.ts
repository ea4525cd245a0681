/**
 * Precision and recall of the npm and Maven inventories of real images, against what is installed
 * in their root filesystems (test/support/inventory-truth.ts says how the truth is read).
 *
 *   node scripts/run-ts.mjs scripts/measure-inventory.ts DIR [DIR …]
 *
 * Each DIR is an output of ../shared/tools/build-debian-image.sh (`oci/`, tag `latest`, is scanned
 * and `rootfs/` is the truth), or a directory with only `rootfs/` (a fixture, an application after
 * `npm install`): it is then laid into a one-layer image first. Prints one line per image and
 * ecosystem, then the misses (at most 20 each). Exits 1 when an ecosystem is under 0.99 in
 * precision or recall.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Package } from '../shared/inventory';
import { scanImage } from '../shared/scan';
import { openImageSource } from '../shared/sources';
import {
  mavenTruth,
  npmTruth,
  scoreArchives,
  scoreInstances,
  walk,
  type Score,
} from '../test/support/inventory-truth';
import { directoryFiles } from '../test/support/directory-image';
import { buildImage, writeOciLayout } from '../test/support/image-builder';

const TARGET = 0.99;
const SHOWN = 20;

async function main(): Promise<number> {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0 || dirs.some((d) => d.startsWith('-'))) {
    process.stderr.write(
      'usage: node scripts/run-ts.mjs scripts/measure-inventory.ts DIR [DIR …]\n',
    );
    return 2;
  }
  let below = false;
  for (const dir of dirs) {
    for (const [ecosystem, score, extra] of await measure(dir)) {
      process.stdout.write(`${line(dir, ecosystem, score)}${extra}\n`);
      for (const miss of score.falsePositives.slice(0, SHOWN))
        process.stdout.write(`  FP ${miss}\n`);
      for (const miss of score.falseNegatives.slice(0, SHOWN))
        process.stdout.write(`  FN ${miss}\n`);
      below ||= score.precision < TARGET || score.recall < TARGET;
    }
  }
  return below ? 1 : 0;
}

async function measure(dir: string): Promise<[string, Score, string][]> {
  const root = join(dir, 'rootfs');
  const packages = await scannedPackages(dir, root);
  const { files, links } = walk(root);
  const npm = packages.filter((p) => p.type === 'npm');
  const installed = npm.filter((p) => originOf(p) === 'installed');
  const maven = packages.filter((p) => p.type === 'maven');
  const claims = maven.filter((p) => p.name.includes(':'));
  const unowned = maven.filter((p) => !p.name.includes(':') && p.ownedBy === null);
  return [
    [
      'npm',
      scoreInstances(
        installed.map((p) => ({ path: p.path, id: `${p.name}@${p.version}` })),
        npmTruth(root, files),
      ),
      `, ${npm.length - installed.length} declared by an application lockfile`,
    ],
    [
      'maven',
      scoreArchives(
        claims.map((p) => ({ path: p.path, id: `${p.name}@${p.version}` })),
        await mavenTruth(root, files, links),
      ),
      `, ${maven.length - claims.length} without a group (${unowned.length} of them not OS-owned: identity-unknown gaps)`,
    ],
  ];
}

/** The packages a scan of the image in `dir` reports, its rootfs made an image when it has none. */
async function scannedPackages(dir: string, root: string): Promise<readonly Package[]> {
  const built = existsSync(join(dir, 'oci')) ? undefined : mkdtempSync(join(tmpdir(), 'measure-'));
  try {
    if (built !== undefined)
      await writeOciLayout(built, {
        latest: await buildImage({ layers: [{ files: directoryFiles(root) }] }),
      });
    const layout = built ?? join(dir, 'oci');
    const [report] = await scanImage(openImageSource(`oci:${layout}:latest`), {
      today: new Date(),
    });
    return report!.packages;
  } finally {
    if (built !== undefined) rmSync(built, { recursive: true, force: true });
  }
}

/** Reports written before packages carried an origin count every package as installed. */
function originOf(p: Package): string {
  return (p as { origin?: string }).origin ?? 'installed';
}

function line(dir: string, ecosystem: string, s: Score): string {
  const fp = s.falsePositives.length;
  const fn = s.falseNegatives.length;
  return `${dir} ${ecosystem}: precision ${s.precision.toFixed(4)} recall ${s.recall.toFixed(4)} (TP ${s.truePositives}, FP ${fp}, FN ${fn})`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `measure-inventory: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
