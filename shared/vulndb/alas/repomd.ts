import { SaxesParser } from 'saxes';

/**
 * Where a repository's `updateinfo` is, as its `repodata/repomd.xml` says:
 *
 * ```xml
 * <repomd xmlns="http://linux.duke.edu/metadata/repo">
 *   <data type="updateinfo">
 *     <checksum type="sha256">e6f5…</checksum>
 *     <location href="repodata/e6f5…-updateinfo.xml.gz"/>
 *     <size>146324</size> <open-size>1494519</open-size>
 *   </data>
 * </repomd>
 * ```
 */
export interface UpdateinfoLocation {
  /** Relative to the repository's base URL. */
  readonly href: string;
  /** The checksum of the file as stored (compressed), when given with a known algorithm. */
  readonly checksum?: { readonly algorithm: string; readonly hex: string };
  /** Its size in bytes, when given. */
  readonly size?: number;
}

/** repomd's checksum types, as Node names their hashes (`sha` is yum's old word for SHA-1). */
const ALGORITHMS: Readonly<Record<string, string>> = {
  sha: 'sha1',
  sha1: 'sha1',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
};

/**
 * The updateinfo entry of a `repomd.xml`; null when the repository publishes none (an extras
 * topic that never had a security update). Throws an Error saying why when the text is not a
 * repomd document.
 */
export function updateinfoLocation(xml: string): UpdateinfoLocation | null {
  const parser = new SaxesParser<{ xmlns: false }>({ xmlns: false });
  const path: string[] = [];
  let inUpdateinfo = false;
  let text = '';
  const found: { href?: string; checksum?: [string, string]; size?: string } = {};
  parser.on('error', (error) => {
    throw new Error(`not a repomd.xml: ${error.message}`);
  });
  parser.on('opentag', (tag) => {
    path.push(tag.name);
    if (path.length === 1 && tag.name !== 'repomd')
      throw new Error(`not a repomd.xml: its root is <${tag.name}>`);
    if (path.length === 2 && tag.name === 'data')
      inUpdateinfo = tag.attributes.type === 'updateinfo' && found.href === undefined;
    if (!inUpdateinfo || path.length !== 3) return;
    text = '';
    if (tag.name === 'location') found.href = tag.attributes.href;
    if (tag.name === 'checksum') found.checksum = [tag.attributes.type ?? '', ''];
  });
  parser.on('text', (t) => (text += t));
  parser.on('closetag', (tag) => {
    if (inUpdateinfo && path.length === 3 && tag.name === 'checksum' && found.checksum)
      found.checksum[1] = text.trim();
    if (inUpdateinfo && path.length === 3 && tag.name === 'size') found.size = text.trim();
    if (path.length === 2) inUpdateinfo = false;
    path.pop();
  });
  parser.write(xml).close();
  return found.href === undefined || found.href === '' ? null : locationOf(found);
}

function locationOf(found: {
  href?: string;
  checksum?: [string, string];
  size?: string;
}): UpdateinfoLocation {
  const algorithm = ALGORITHMS[found.checksum?.[0] ?? ''];
  const hex = found.checksum?.[1].toLowerCase() ?? '';
  const size = /^\d{1,15}$/.test(found.size ?? '') ? Number(found.size) : undefined;
  return {
    href: found.href!,
    ...(algorithm !== undefined && /^[0-9a-f]+$/.test(hex) && { checksum: { algorithm, hex } }),
    ...(size !== undefined && { size }),
  };
}
