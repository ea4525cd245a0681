import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

const OSV = join(__dirname, '..', 'fixtures', 'osv');

/** The exports served: `all.zip` as npm's, `sync/PyPI.zip` as PyPI's (see its README). */
export const OSV_EXPORTS: Readonly<Record<string, Buffer>> = {
  npm: readFileSync(join(OSV, 'all.zip')),
  PyPI: readFileSync(join(OSV, 'sync', 'PyPI.zip')),
};

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * OSV's bucket on 127.0.0.1 (serve it with `startServer`): `/<ecosystem>/all.zip` with an
 * ETag, each request logged as `<ecosystem> <If-None-Match>`; `override` answers some itself.
 */
export const osvBucket =
  (log: string[], override?: (ecosystem: string) => Handler | undefined): Handler =>
  (request, response) => {
    const ecosystem =
      /^\/([^/]+)\/all\.zip$/.exec(decodeURIComponent(request.url ?? ''))?.[1] ?? '';
    log.push(`${ecosystem} ${request.headers['if-none-match'] ?? ''}`.trim());
    const special = override?.(ecosystem);
    if (special) return special(request, response);
    const body = OSV_EXPORTS[ecosystem];
    if (body === undefined) return void response.writeHead(404).end();
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (request.headers['if-none-match'] === etag) return void response.writeHead(304).end();
    response.writeHead(200, { etag, 'content-length': body.length }).end(body);
  };
