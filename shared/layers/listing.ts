import type { Digest } from '../image';
import type { Compression } from './compression';

export type EntryType = 'file' | 'directory' | 'symlink' | 'hardlink';

/** One filesystem entry of a layer, as its tar header describes it. */
export interface LayerEntry {
  /** Normalised path relative to the image root, no leading `/`. */
  readonly path: string;
  readonly type: EntryType;
  readonly mode: number;
  readonly size: number;
  readonly uid: number;
  readonly gid: number;
  /** Symlink target as written, or the normalised path a hard link points at. */
  readonly linkTarget?: string;
}

/**
 * Problems a listing keeps one by one: the first ones. A layer of a million hostile entries
 * would otherwise carry a million of them into every report; {@link LayerListing.problemCount}
 * still counts them all.
 */
export const MAX_LAYER_PROBLEMS = 100;

/** Something wrong inside a layer that did not stop it being read (STYLE.md §9). */
export interface LayerProblem {
  readonly layer: Digest;
  readonly path?: string;
  readonly reason: string;
}

/** A file a consumer asked for, with its bytes (at most `maxFileBytes` of them). */
export interface SelectedFile {
  readonly layer: Digest;
  readonly entry: LayerEntry;
  /** The body, or its first `maxFileBytes`; empty when a `ranges` body was spilled to disk. */
  readonly bytes: Buffer;
  /** `bytes` is not the whole file. */
  readonly truncated: boolean;
  /**
   * Up to `length` bytes at `position` (fewer at the end). For `ranges` delivery this reads the
   * whole file, spilled or not; otherwise only what `bytes` holds. Valid until the consumer returns.
   */
  read(position: number, length: number): Promise<Buffer>;
}

/** Everything a walk learned of one layer. */
export interface LayerListing {
  readonly digest: Digest;
  readonly diffId?: Digest;
  readonly compression: Compression;
  readonly compressedBytes: number;
  readonly uncompressedBytes: number;
  readonly entries: readonly LayerEntry[];
  /** Paths this layer deletes from the layers below (`.wh.NAME`). */
  readonly whiteouts: readonly string[];
  /** Directories whose lower contents this layer hides (`.wh..wh..opq`). */
  readonly opaqueDirectories: readonly string[];
  /** Device files and FIFOs, which an image cannot meaningfully ship; counted, not listed. */
  readonly ignoredEntries: number;
  /** The first {@link MAX_LAYER_PROBLEMS} problems, in the order of the tar. */
  readonly problems: readonly LayerProblem[];
  /** How many problems the layer has, listed or not. */
  readonly problemCount: number;
}
