import { fromBufferPromise, type Entry, type ZipFile } from 'yauzl';
import type { Analyzer, FoundPackage } from './analyzer';
import { ARCHIVE, artifactsOf } from './java-identity';

const POM_PROPERTIES = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
const MANIFEST = 'META-INF/MANIFEST.MF';
/** Archives inside archives inside archives: deeper is not how Java packages real code. */
const MAX_DEPTH = 3;
/** A nested archive is inflated into memory to be read; larger ones are skipped and reported. */
const MAX_NESTED_BYTES = 32 * 1024 * 1024;
/** pom.properties and MANIFEST.MF are a few KiB; anything far larger is not what we want. */
const MAX_METADATA_BYTES = 1024 * 1024;

type Problem = { reason: string };

/**
 * Maven artifacts in Java archives (jar, war, ear, Jenkins plugins): every
 * `META-INF/maven/<group>/<artifact>/pom.properties` (a shaded jar has several), else an identity
 * inferred from the file name and `MANIFEST.MF`, with a group only where a reliable source names
 * one (java-identity.ts); nested archives (WEB-INF/lib, BOOT-INF/lib, fat jars) read recursively
 * within depth and size limits.
 */
export const javaAnalyzer: Analyzer = {
  name: 'java',
  version: 3,
  wants: (path) => ARCHIVE.test(path),
  async analyze(file) {
    const packages: FoundPackage[] = [];
    const problems: Problem[] = [];
    if (file.truncated) {
      problems.push({
        reason:
          'the archive is larger than the read limit; its directory, at the end, cannot be read',
      });
      return { packages, problems };
    }
    await readArchive(file.bytes, baseName(file.path), 0, { packages, problems });
    return { packages, problems };
  },
};

async function readArchive(
  bytes: Buffer,
  name: string,
  depth: number,
  out: { packages: FoundPackage[]; problems: Problem[] },
): Promise<void> {
  let zip: ZipFile;
  try {
    zip = await fromBufferPromise(bytes, { lazyEntries: true });
  } catch (error) {
    out.problems.push({
      reason: `${name}: not a readable zip archive: ${(error as Error).message}`,
    });
    return;
  }
  const poms: Map<string, string>[] = [];
  let manifest: Map<string, string> | undefined;
  let nested = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (POM_PROPERTIES.test(entry.fileName))
        poms.push(parseProperties(await readEntry(zip, entry, MAX_METADATA_BYTES)));
      else if (entry.fileName === MANIFEST)
        manifest = parseManifest(await readEntry(zip, entry, MAX_METADATA_BYTES));
      else if (ARCHIVE.test(entry.fileName)) {
        nested++;
        await readNested(zip, entry, `${name}!/${entry.fileName}`, depth, out);
      }
    }
  } catch (error) {
    out.problems.push({ reason: `${name}: ${(error as Error).message}` });
  } finally {
    zip.close();
  }
  out.packages.push(
    ...artifactsOf({
      poms,
      ...(manifest && { manifest }),
      fileName: baseName(name),
      empty: zip.entryCount === 0,
      application: depth === 0 && (nested > 0 || launches(manifest)),
    }),
  );
}

async function readNested(
  zip: ZipFile,
  entry: Entry,
  name: string,
  depth: number,
  out: { packages: FoundPackage[]; problems: Problem[] },
): Promise<void> {
  if (depth + 1 > MAX_DEPTH)
    return void out.problems.push({
      reason: `${name}: nested deeper than ${MAX_DEPTH} archives; not read`,
    });
  if (entry.uncompressedSize > MAX_NESTED_BYTES)
    return void out.problems.push({
      reason: `${name}: ${entry.uncompressedSize} bytes, over the ${MAX_NESTED_BYTES}-byte limit for nested archives; not read`,
    });
  await readArchive(await readEntry(zip, entry, MAX_NESTED_BYTES), name, depth + 1, out);
}

async function readEntry(zip: ZipFile, entry: Entry, limit: number): Promise<Buffer> {
  if (entry.uncompressedSize > limit) throw new Error(`${entry.fileName} is over ${limit} bytes`);
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Java `.properties`: `key=value` or `key: value`, `#`/`!` comments. */
function parseProperties(bytes: Buffer): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of bytes.toString('utf8').split(/\r?\n/)) {
    const match = /^\s*([^#!\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    if (match !== null) map.set(match[1]!, match[2]!.trim());
  }
  return map;
}

/** JAR manifest: `Name: value` lines, continuations start with one space, 72-byte lines. */
function parseManifest(bytes: Buffer): Map<string, string> {
  const map = new Map<string, string>();
  let last: string | undefined;
  for (const line of bytes.toString('utf8').split(/\r?\n/)) {
    if (line.startsWith(' ') && last !== undefined) map.set(last, map.get(last)! + line.slice(1));
    else if (line === '')
      break; // the main section ends at the first blank line
    else {
      const colon = line.indexOf(': ');
      if (colon > 0) map.set((last = line.slice(0, colon)), line.slice(colon + 2));
    }
  }
  return map;
}

/** A manifest that starts an application with its own class path (Spring Boot's, or `Main-Class` with `Class-Path`). */
function launches(manifest: ReadonlyMap<string, string> | undefined): boolean {
  if (manifest === undefined) return false;
  if (manifest.has('Start-Class') || manifest.has('Spring-Boot-Version')) return true;
  return manifest.has('Main-Class') && (manifest.get('Class-Path') ?? '').trim() !== '';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
