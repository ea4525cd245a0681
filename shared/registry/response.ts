import { Readable } from 'node:stream';
import type { ReadableStreamReadResult } from 'node:stream/web';
import {
  RegistryConnectionError,
  RegistryError,
  RegistryTimeoutError,
  type RequestTarget,
} from './errors';

const MAX_CAUSE_DEPTH = 8;

type Reader = ReadableStreamDefaultReader<Uint8Array>;

/**
 * A response whose headers have arrived. The body is read with an idle timeout: each read
 * from the network must deliver within `idleTimeoutMs`, however slowly the consumer pulls.
 */
export class HttpResponse {
  constructor(
    private readonly response: Response,
    private readonly controller: AbortController,
    /** The URL that answered, after redirects. */
    readonly url: URL,
    private readonly target: RequestTarget,
    private readonly idleTimeoutMs: number,
  ) {}

  get status(): number {
    return this.response.status;
  }

  get headers(): Headers {
    return this.response.headers;
  }

  /** The body as a Node stream that fails with a typed error when the network stalls or breaks. */
  body(): Readable {
    const reader = this.reader();
    if (reader === undefined) return Readable.from([]);
    const stream: Readable = new Readable({
      read: () => {
        this.readChunk(reader).then(
          ({ done, value }) => stream.push(done ? null : value),
          (error: unknown) => stream.destroy(error as Error),
        );
      },
      destroy: (error, callback) => {
        reader.cancel().catch(ignore);
        callback(error);
      },
    });
    return stream;
  }

  /**
   * The whole body, refusing to hold more than `limit` bytes: a `Content-Length` over the limit
   * fails before reading, and a body that runs past it fails as soon as it does.
   */
  async bytes(limit: number, tooLarge: () => Error): Promise<Buffer> {
    const declared = Number(this.headers.get('content-length') ?? Number.NaN);
    if (declared > limit) {
      await this.discard();
      throw tooLarge();
    }
    const reader = this.reader();
    if (reader === undefined) return Buffer.alloc(0);
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await this.readChunk(reader);
      if (done) return Buffer.concat(chunks, total);
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(ignore);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }

  /** Drops the body so the connection can be reused or closed. */
  async discard(): Promise<void> {
    if (this.response.bodyUsed) return;
    await this.response.body?.cancel().catch(ignore);
  }

  private reader(): Reader | undefined {
    return this.response.body?.getReader();
  }

  private async readChunk(reader: Reader): Promise<ReadableStreamReadResult<Uint8Array>> {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new RegistryTimeoutError(this.target, this.idleTimeoutMs));
        this.controller.abort();
      }, this.idleTimeoutMs);
    });
    try {
      return await Promise.race([reader.read(), stalled]);
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      const detail = `the connection broke while reading the body (${errorCode(error)})`;
      throw new RegistryConnectionError(this.target, detail, 'transient', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The most specific code of a fetch failure: `ECONNREFUSED`, `UND_ERR_SOCKET`, or the message. */
export function errorCode(error: unknown): string {
  // Duck-typed: undici's errors come from another realm under test runners, so instanceof fails.
  let current: unknown = error;
  let message = String(error);
  for (
    let depth = 0;
    typeof current === 'object' && current !== null && depth < MAX_CAUSE_DEPTH;
    depth++
  ) {
    const {
      code,
      message: text,
      cause,
    } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    if (typeof text === 'string') message = text;
    current = cause;
  }
  return message;
}

function ignore(): void {}
