import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isLoopbackRegistry } from '../registry';
import { AttestError } from './errors';
import { verificationKeyFromPem, type VerificationKey } from './signing-key';

/**
 * `verdict-keys/index.json` as the pipeline publishes it: every key it signs (or signed, or
 * will sign) with, and its status.
 */
export const KeyIndex = z.object({
  keys: z.array(
    z.object({
      keyId: z.string(),
      publicKeyPem: z.string(),
      createdAt: z.string(),
      status: z.enum(['current', 'previous', 'pending']),
    }),
  ),
});
export type KeyIndex = z.infer<typeof KeyIndex>;

/** An index of a few keys is a few KiB. */
const MAX_INDEX_BYTES = 1024 * 1024;
const PEM_SUFFIX = '.pem';

/**
 * The trusted public keys of `--keys`: a directory's `*.pem` files (each key's id computed from
 * the key, never from its file name), or the key index at an `https:` or `file:` URL (`http:`
 * on loopback only), whose listed key ids must be the keys' own. Current, previous and pending
 * keys are all trusted: a verdict signed before a rotation must still verify.
 */
export async function loadTrustedKeys(
  spec: string,
  fetcher: typeof fetch = fetch,
): Promise<VerificationKey[]> {
  const url = URL.parse(spec);
  if (url !== null && /^(https?|file):$/.test(url.protocol)) return keysOfIndex(url, fetcher);
  const info = await stat(spec).catch((cause: unknown) => {
    throw new AttestError('KEY_INVALID', `--keys ${spec}: no such directory or URL`, 'input', {
      cause,
    });
  });
  if (!info.isDirectory())
    throw new AttestError(
      'KEY_INVALID',
      `--keys ${spec}: expected a directory of *.pem files or a URL`,
    );
  const names = (await readdir(spec)).filter((name) => name.endsWith(PEM_SUFFIX)).sort();
  if (names.length === 0)
    throw new AttestError('KEY_INVALID', `--keys ${spec}: no *.pem files in it`);
  const keys: VerificationKey[] = [];
  for (const name of names) {
    const path = join(spec, name);
    keys.push(verificationKeyFromPem(await readFile(path, 'utf8'), path));
  }
  return keys;
}

async function keysOfIndex(url: URL, fetcher: typeof fetch): Promise<VerificationKey[]> {
  const where = `key index ${url.href}`;
  const text = await readIndex(url, fetcher, where);
  let parsed: KeyIndex;
  try {
    parsed = KeyIndex.parse(JSON.parse(text));
  } catch (error) {
    throw new AttestError(
      'KEY_INVALID',
      `${where}: expected {"keys": [{keyId, publicKeyPem, createdAt, status}]}`,
      'input',
      {
        cause: error,
      },
    );
  }
  return parsed.keys.map((entry) => {
    const key = verificationKeyFromPem(entry.publicKeyPem, `${where}, key ${entry.keyId}`);
    if (key.keyId !== entry.keyId)
      throw new AttestError(
        'KEY_INVALID',
        `${where}: key listed as ${entry.keyId} is ${key.keyId} (sha256 of its SPKI DER)`,
      );
    return key;
  });
}

async function readIndex(url: URL, fetcher: typeof fetch, where: string): Promise<string> {
  if (url.protocol === 'file:') {
    const bytes = await readFile(fileURLToPath(url)).catch((cause: unknown) => {
      throw new AttestError('KEY_INVALID', `cannot read ${where}`, 'input', { cause });
    });
    if (bytes.length > MAX_INDEX_BYTES)
      throw new AttestError('KEY_INVALID', `${where}: over ${MAX_INDEX_BYTES} bytes`);
    return bytes.toString('utf8');
  }
  // Plain HTTP would let anyone on the path swap the keys; only loopback is spared TLS.
  if (url.protocol === 'http:' && !isLoopbackRegistry(url.host))
    throw new AttestError('KEY_INVALID', `${where}: expected https (http only on localhost)`);
  const response = await fetcher(url, { redirect: 'error' }).catch((cause: unknown) => {
    throw new AttestError('KEY_INVALID', `cannot fetch ${where}`, 'transient', { cause });
  });
  if (!response.ok)
    throw new AttestError('KEY_INVALID', `${where}: expected HTTP 200, got ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_INDEX_BYTES)
    throw new AttestError('KEY_INVALID', `${where}: over ${MAX_INDEX_BYTES} bytes`);
  return text;
}
