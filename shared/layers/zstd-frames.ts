import { Transform, type TransformCallback } from 'node:stream';
import type { Digest } from '../image';
import { LayerError } from './errors';

/*
 * Where the frames of a zstd stream begin and end, found from their headers alone (RFC 8878
 * §3.1): a frame header, then blocks each led by a 3-byte header giving its size, then an
 * optional checksum. Skippable frames (§3.1.2) carry a size and are dropped. The work is per
 * block (at most 128 KiB of data each), never per byte.
 */

/** `28 b5 2f fd`: a zstd frame. */
const FRAME_MAGIC = 0xfd2fb528;
/** `5? 2a 4d 18`: a skippable frame (the low 4 bits are free). */
const SKIPPABLE_MAGIC = 0x184d2a50;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const MAGIC_BYTES = 4;
const DESCRIPTOR_BYTES = 1;
const BLOCK_HEADER_BYTES = 3;
const CHECKSUM_BYTES = 4;
const SKIPPABLE_SIZE_BYTES = 4;
const RLE_BLOCK = 1;
const RESERVED_BLOCK = 3;
/** Frame_Header_Descriptor bit 3 must be zero. */
const RESERVED_DESCRIPTOR_BIT = 0x08;
const DICTIONARY_ID_BYTES = [0, 1, 2, 4] as const;
const CONTENT_SIZE_BYTES = [0, 2, 4, 8] as const;

/**
 * Passes a zstd stream on cut at its frame boundaries, skippable frames dropped, so that each
 * frame ends at the end of a chunk. Node's zstd decompressor ends its output at the end of the
 * first frame when more input follows it in the same chunk (and ignores that input); a frame
 * that ends with its chunk lets it go on to the next frame, which zstd's streaming decoder does
 * by itself. One decompressor then reads a stream of any number of frames at its usual speed.
 */
export class ZstdFrameSplitter extends Transform {
  private readonly scanner: ZstdFrameScanner;
  private readonly pieces: Buffer[] = [];

  constructor(layer: Digest) {
    super();
    this.scanner = new ZstdFrameScanner(layer);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.scanner.scan(chunk, this.pieces);
    } catch (error) {
      callback(error as Error);
      return;
    }
    for (const piece of this.pieces) this.push(piece);
    this.pieces.length = 0;
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.scanner.finish();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }
}

type Step = 'magic' | 'descriptor' | 'header' | 'block' | 'body' | 'checksum' | 'size' | 'skip';

/**
 * Splits a zstd stream, chunk by chunk, into pieces that each lie within one (non-skippable)
 * frame, a frame's last piece ending where it does. Pieces are views of the chunks given, not
 * copies (except a magic number split across two chunks).
 */
export class ZstdFrameScanner {
  private step: Step = 'magic';
  /** Bytes the current step still needs. */
  private need = MAGIC_BYTES;
  /** The header field being read, which may span chunks. */
  private readonly field = Buffer.alloc(8);
  private filled = 0;
  private checksum = false;
  private lastBlock = false;
  /** Stream offset of the current chunk's first byte, for messages. */
  private offset = 0;
  private inFrame = false;

  constructor(private readonly layer: Digest) {}

  /** Appends the frame pieces found in `chunk` to `parts`. */
  scan(chunk: Buffer, parts: Buffer[]): void {
    let i = 0;
    let runStart = this.inFrame ? 0 : -1;
    while (i < chunk.length) {
      const wasInFrame = this.inFrame;
      const fieldStart = this.filled === 0 ? i : -1;
      i = this.step === 'body' || this.step === 'skip' ? this.skip(chunk, i) : this.read(chunk, i);
      if (!wasInFrame && this.inFrame) runStart = this.frameStart(fieldStart, i, parts);
      if (runStart >= 0 && !this.inFrame) {
        if (i > runStart) parts.push(chunk.subarray(runStart, i));
        runStart = -1;
      }
    }
    if (runStart >= 0 && chunk.length > runStart) parts.push(chunk.subarray(runStart));
    this.offset += chunk.length;
  }

  /** Fails when the stream stopped inside a frame. */
  finish(): void {
    if (this.step === 'magic' && this.filled === 0) return;
    throw this.corrupt(`the zstd stream ends inside a frame, at byte ${this.offset}`);
  }

  /** Passes over (part of) a block's body or a skippable frame's data; returns where it stopped. */
  private skip(chunk: Buffer, at: number): number {
    const n = Math.min(this.need, chunk.length - at);
    this.need -= n;
    if (this.need === 0) this.afterBody();
    return at + n;
  }

  /** Reads (part of) a header field; acts on it once whole; returns where it stopped. */
  private read(chunk: Buffer, at: number): number {
    const n = Math.min(this.need - this.filled, chunk.length - at);
    chunk.copy(this.field, this.filled, at, at + n);
    this.filled += n;
    if (this.filled === this.need) {
      this.filled = 0;
      this.onField(at + n);
    }
    return at + n;
  }

  /**
   * Where a frame whose magic number ends at `end` starts in the chunk: at `fieldStart`, or,
   * when the magic number began in the chunk before, here after a copy of it.
   */
  private frameStart(fieldStart: number, end: number, parts: Buffer[]): number {
    if (fieldStart >= 0) return fieldStart;
    parts.push(Buffer.from(this.field.subarray(0, MAGIC_BYTES)));
    return end;
  }

  /** A complete header field was read; `end` is its end in the current chunk. */
  private onField(end: number): void {
    const field = this.field;
    switch (this.step) {
      case 'magic':
        return this.onMagic(field.readUInt32LE(0), end);
      case 'descriptor':
        return this.onDescriptor(field[0]!, end);
      case 'header':
        return this.expect('block', BLOCK_HEADER_BYTES);
      case 'block':
        return this.onBlockHeader(field[0]! | (field[1]! << 8) | (field[2]! << 16), end);
      case 'checksum':
        return this.endFrame();
      case 'size':
        return this.expect('skip', field.readUInt32LE(0));
      default:
        return undefined;
    }
  }

  private onMagic(magic: number, end: number): void {
    if (magic === FRAME_MAGIC) {
      this.inFrame = true;
      return this.expect('descriptor', DESCRIPTOR_BYTES);
    }
    if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC)
      return this.expect('size', SKIPPABLE_SIZE_BYTES);
    const at = this.offset + end - MAGIC_BYTES;
    const got = this.field.subarray(0, MAGIC_BYTES).toString('hex');
    throw this.corrupt(
      `expected a zstd frame (28b52ffd) or a skippable frame (5?2a4d18) at byte ${at}, got ${got}`,
    );
  }

  private onDescriptor(descriptor: number, end: number): void {
    if ((descriptor & RESERVED_DESCRIPTOR_BIT) !== 0)
      throw this.corrupt(
        `the zstd frame header at byte ${this.offset + end - 1} sets a reserved bit`,
      );
    const contentSizeFlag = descriptor >> 6;
    const singleSegment = (descriptor >> 5) & 1;
    this.checksum = ((descriptor >> 2) & 1) === 1;
    const rest =
      (singleSegment === 1 ? 0 : 1) +
      DICTIONARY_ID_BYTES[descriptor & 3]! +
      (contentSizeFlag === 0 ? singleSegment : CONTENT_SIZE_BYTES[contentSizeFlag]!);
    if (rest === 0) return this.expect('block', BLOCK_HEADER_BYTES);
    return this.expect('header', rest);
  }

  private onBlockHeader(header: number, end: number): void {
    const type = (header >> 1) & 3;
    if (type === RESERVED_BLOCK)
      throw this.corrupt(
        `the zstd block at byte ${this.offset + end - BLOCK_HEADER_BYTES} has the reserved type`,
      );
    this.lastBlock = (header & 1) === 1;
    const body = type === RLE_BLOCK ? 1 : header >>> 3;
    if (body > 0) return this.expect('body', body);
    return this.afterBlock();
  }

  private afterBody(): void {
    if (this.step === 'skip') return this.expect('magic', MAGIC_BYTES);
    return this.afterBlock();
  }

  private afterBlock(): void {
    if (!this.lastBlock) return this.expect('block', BLOCK_HEADER_BYTES);
    if (this.checksum) return this.expect('checksum', CHECKSUM_BYTES);
    return this.endFrame();
  }

  private endFrame(): void {
    this.inFrame = false;
    this.expect('magic', MAGIC_BYTES);
  }

  private expect(step: Step, bytes: number): void {
    this.step = step;
    this.need = bytes;
    // An empty skippable frame ends where its size field does.
    if (step === 'skip' && bytes === 0) this.expect('magic', MAGIC_BYTES);
  }

  private corrupt(detail: string): LayerError {
    return new LayerError('CORRUPT_COMPRESSION', this.layer, `cannot decompress: ${detail}`);
  }
}
