import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The ALAS fixtures (test/fixtures/alas/README.md says where each shape comes from). */
export const ALAS_FIXTURES = join(__dirname, '..', 'fixtures', 'alas');

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** The updateinfo a repository of the mirror serves (gzip bytes), or null for none in repomd. */
export type MirrorRepos = Readonly<Record<string, Buffer | null>>;

const fixture = (name: string): Buffer => readFileSync(join(ALAS_FIXTURES, name));

/**
 * What the mirror serves by default, keyed `<release>/<core|topic>/<arch>`: AL2023 core per
 * arch, AL2 core (the same file for both arches, as Amazon's x86_64 file lists aarch64 builds
 * too), the `kernel-5.10` topic, and `docker` and `emacs` topics that publish no updateinfo.
 */
export function defaultRepos(): Record<string, Buffer | null> {
  const al2core = fixture('al2-core-updateinfo.xml.gz');
  const kernel = gzipSync(fixture('al2-extras-kernel-5.10-updateinfo.xml'));
  return {
    '2023/core/x86_64': gzipSync(fixture('al2023-x86_64-updateinfo.xml')),
    '2023/core/aarch64': gzipSync(fixture('al2023-aarch64-updateinfo.xml')),
    '2/core/x86_64': al2core,
    '2/core/aarch64': al2core,
    '2/kernel-5.10/x86_64': kernel,
    '2/kernel-5.10/aarch64': kernel,
    '2/docker/x86_64': null,
    '2/docker/aarch64': null,
    '2/emacs/x86_64': null,
    '2/emacs/aarch64': null,
  };
}

/**
 * Amazon Linux's repository CDN on 127.0.0.1 (serve it with `startServer`): mirror lists
 * naming a `guids/<hash>` base on the same server (with `$basearch`, as the real ones), each
 * base's `repodata/repomd.xml` (the fixture's shape, with the served file's sha256 and size),
 * the `<sha256>-updateinfo.xml.gz` files with an ETag, and the extras catalogs. Each request is
 * logged as `<path> <If-None-Match>`; `override` answers some itself.
 */
export function alasMirror(
  log: string[],
  repos: MirrorRepos = defaultRepos(),
  override?: (path: string) => Handler | undefined,
): Handler {
  return (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    log.push(`${path} ${request.headers['if-none-match'] ?? ''}`.trim());
    const special = override?.(path);
    if (special) return special(request, response);
    const host = `http://${request.headers.host}`;
    const body = answer(path, host, repos, request.headers['if-none-match']);
    if (body === undefined) return void response.writeHead(404).end();
    if (body === 304) return void response.writeHead(304).end();
    response.writeHead(200, {
      'content-length': body.data.length,
      ...(body.etag && { etag: body.etag }),
    });
    response.end(body.data);
  };
}

type Answer = { data: Buffer; etag?: string } | 304 | undefined;

function answer(path: string, host: string, repos: MirrorRepos, ifNoneMatch?: string): Answer {
  const list =
    /^\/(?:al2023\/core\/mirrors|2\/(core|extras\/([^/]+)))\/latest\/([^/]+)\/mirror\.list$/.exec(
      path,
    );
  if (list) {
    const release = path.startsWith('/al2023/') ? '2023' : '2';
    const repo = `${release}/${list[2] ?? 'core'}`;
    return text(`${host}/guids/${repo}/$basearch/\n`);
  }
  const catalog = /^\/2\/extras-catalog-(x86_64|aarch64)\.json$/.exec(path);
  if (catalog) return { data: fixture('extras-catalog.json') };
  const repo = /^\/guids\/(\d+\/[^/]+\/[^/]+)\/repodata\/(.+)$/.exec(path);
  const served = repo && repos[repo[1]!];
  if (!repo || served === undefined) return undefined;
  if (repo[2] === 'repomd.xml') return { data: repomd(served) };
  if (served === null || repo[2] !== `${sha256(served)}-updateinfo.xml.gz`) return undefined;
  const etag = `"${sha256(served).slice(0, 16)}"`;
  return ifNoneMatch === etag ? 304 : { data: served, etag };
}

/** The fixture repomd.xml, naming `updateinfo`'s file, checksum and size; none for null. */
export function repomd(updateinfo: Buffer | null): Buffer {
  if (updateinfo === null) return fixture('repomd-no-updateinfo.xml');
  return Buffer.from(
    fixture('repomd.xml')
      .toString('utf8')
      .replaceAll('@UPDATEINFO_SHA256@', sha256(updateinfo))
      .replaceAll('@UPDATEINFO_OPEN_SHA256@', sha256(updateinfo))
      .replaceAll('@UPDATEINFO_SIZE@', String(updateinfo.length))
      .replaceAll('@UPDATEINFO_OPEN_SIZE@', String(updateinfo.length * 10)),
  );
}

function text(value: string): { data: Buffer } {
  return { data: Buffer.from(value) };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
