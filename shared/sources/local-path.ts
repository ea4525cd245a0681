import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseImageReference, type ImageReference } from '../image';
import { LocalPathReferenceError } from './errors';

/** Prefixes that say which transport a reference takes; without one it names a registry. */
const TRANSPORTS = ['oci:', 'docker-archive:', 'docker://'];
/** Where a tar header holds its magic (POSIX ustar and GNU tar): https://www.gnu.org/software/tar/manual/html_node/Standard.html */
const TAR_MAGIC_OFFSET = 257;
const TAR_MAGIC = 'ustar';

/**
 * Parses a reference the user typed, refusing one without a transport that names an existing
 * file or directory (`examples/demo-image`): read as a registry reference it would go to
 * Docker Hub. Nothing is fetched; the error says which transport the path wants.
 */
export function parseSourceReference(text: string): ImageReference {
  if (!TRANSPORTS.some((t) => text.startsWith(t)) && existsSync(text))
    throw new LocalPathReferenceError(localPathMessage(text));
  return parseImageReference(text);
}

/** What the path is, and the reference that reads it (or `docker://` for the registry). */
function localPathMessage(path: string): string {
  const registry = /^[./]/.test(path)
    ? ''
    : ` (for a registry image of that name, write docker://${path})`;
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, 'oci-layout')) || existsSync(join(path, 'index.json')))
      return `${path} is a local OCI layout directory, not a registry reference: name it oci:${path}${registry}`;
    return `${path} is a local directory, not an image: an OCI layout (oci:DIR) holds oci-layout and index.json${registry}`;
  }
  if (isTar(path))
    return `${path} is a local tar archive, not a registry reference: name it docker-archive:${path}${registry}`;
  return `${path} is a local file, not an image: give a tar from "docker save" as docker-archive:FILE${registry}`;
}

function isTar(path: string): boolean {
  const magic = Buffer.alloc(TAR_MAGIC.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, magic, 0, magic.length, TAR_MAGIC_OFFSET);
  } finally {
    closeSync(fd);
  }
  return magic.toString('latin1') === TAR_MAGIC;
}
