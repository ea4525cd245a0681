import { listingsOf, type AnalyzedImage } from '../analyzers';
import type { ImageConfig } from '../image';
import type { Digest } from '../image';
import type { LayerListing } from '../layers';
import type { SecretMatch, SecretScanner } from './scanner';
import type { SensitiveFileMatch } from './sensitive-files';

/** A secret in an image: where it is, and whether a later layer removed the file. */
export interface SecretFinding extends SecretMatch {
  /** The layer the file is in; null for the image config. */
  readonly layer: Digest | null;
  /** The file, or the config field (`config.Env[2]`, `config.history[4].created_by`). */
  readonly path: string;
  /**
   * The later layer that deleted or replaced the file: the secret is gone from the filesystem
   * but still in the image, for anyone who pulls that layer. Null while the file is there.
   */
  readonly removedInLayer: Digest | null;
}

/** A file that should not ship in an image, located as secrets are. */
export interface SensitiveFileFinding extends SensitiveFileMatch {
  readonly layer: Digest;
  readonly path: string;
  /** The later layer that deleted or replaced the file, or null while it is there. */
  readonly removedInLayer: Digest | null;
}

/**
 * The secrets of an image: those the secrets analyser found in the files of every layer, with
 * the layer that removed each where one did, then those in the config's environment, history
 * and labels.
 */
export function assembleSecrets(
  analyzed: AnalyzedImage,
  config: ImageConfig,
  scanner: SecretScanner,
): SecretFinding[] {
  return [...inLayers(analyzed, (r) => r.secrets), ...configSecrets(config, scanner)];
}

/** The sensitive files of every layer, with the layer that removed each where one did. */
export function assembleSensitiveFiles(analyzed: AnalyzedImage): SensitiveFileFinding[] {
  return inLayers(analyzed, (r) => r.sensitiveFiles);
}

/** What `pick` takes from each file's analysis, located by layer, path and removal. */
function inLayers<T>(
  analyzed: AnalyzedImage,
  pick: (result: AnalyzedImage['analyses'][number]['result']) => readonly T[] | undefined,
): (T & { layer: Digest; path: string; removedInLayer: Digest | null })[] {
  const removals = new Removals(listingsOf(analyzed));
  return analyzed.analyses.flatMap((analysis) =>
    (pick(analysis.result) ?? []).map((found) => ({
      ...found,
      layer: analysis.layer,
      path: analysis.path,
      removedInLayer: removals.after(analysis.layer, analysis.path),
    })),
  );
}

/** The secrets in what the config says, each located by its field. */
function configSecrets(config: ImageConfig, scanner: SecretScanner): SecretFinding[] {
  const fields: [string, string][] = [
    ...(config.config?.Env ?? []).map((env, i): [string, string] => [`config.Env[${i}]`, env]),
    ...(config.history ?? []).flatMap((entry, i): [string, string][] =>
      entry.created_by === undefined ? [] : [[`config.history[${i}].created_by`, entry.created_by]],
    ),
    ...Object.entries(config.config?.Labels ?? {}).map(([key, value]): [string, string] => [
      `config.Labels[${JSON.stringify(key)}]`,
      `${key}=${value}`,
    ]),
  ];
  return fields.flatMap(([path, text]) =>
    scanner.scanText(text).map((match) => ({ ...match, layer: null, path, removedInLayer: null })),
  );
}

/** Which later layer deletes or replaces a path: whiteouts, opaque directories, new entries. */
class Removals {
  private readonly written = new Map<Digest, Set<string>>();

  constructor(private readonly listings: readonly LayerListing[]) {}

  after(layer: Digest, path: string): Digest | null {
    const index = this.listings.findIndex((listing) => listing.digest === layer);
    for (const listing of this.listings.slice(index + 1)) {
      if (this.removes(listing, path)) return listing.digest;
    }
    return null;
  }

  private removes(listing: LayerListing, path: string): boolean {
    const within = (dir: string) => path === dir || path.startsWith(`${dir}/`);
    if (listing.whiteouts.some(within)) return true;
    if (listing.opaqueDirectories.some((dir) => path.startsWith(`${dir}/`))) return true;
    return this.paths(listing).has(path);
  }

  private paths(listing: LayerListing): Set<string> {
    let paths = this.written.get(listing.digest);
    if (paths === undefined) {
      paths = new Set(listing.entries.filter((e) => e.type !== 'directory').map((e) => e.path));
      this.written.set(listing.digest, paths);
    }
    return paths;
  }
}
