import type { Digest } from '../image';
import type { Descriptor } from '../image';
import type { Delivery } from './file-body';
import type { LayerLimits } from './limits';
import type { LayerEntry, SelectedFile } from './listing';

/** What a walk of one layer reads, and where it hands the selected files. */
export interface WalkOptions {
  /** The layer's blob descriptor: its digest names the layer, its media type picks the decompressor. */
  readonly descriptor: Descriptor;
  /** `rootfs.diff_ids[i]`; the uncompressed bytes are checked against it when given. */
  readonly diffId?: Digest;
  readonly limits?: Partial<LayerLimits>;
  /**
   * Which regular files' bodies to read, and how (`true` means `bytes`); every other body is
   * skipped unread.
   */
  readonly select?: (entry: LayerEntry) => boolean | Delivery;
  /** Receives each selected file; the walk waits for it, so a slow consumer slows the read. */
  readonly onFile?: (file: SelectedFile) => void | Promise<void>;
  /** Told the compressed bytes read so far, as they are read (for a progress display). */
  readonly onRead?: (compressedBytes: number) => void;
}
