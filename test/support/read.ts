import type { Readable } from 'node:stream';

/** Reads a stream to the end; rejects with the stream's error. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The error a promise rejects with, or a failed expectation if it resolves. */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; kind?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the promise to reject, but it resolved');
}
