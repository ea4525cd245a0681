import type { IncomingMessage, ServerResponse } from 'node:http';
import { sha256Digest } from '../../shared/image/digest';
import {
  DigestMismatchError,
  InvalidReferenceError,
  ManifestTooLargeError,
  SizeMismatchError,
} from '../../shared/image/errors';
import { MAX_MANIFEST_BYTES } from '../../shared/image/manifest';
import { MANIFEST_MEDIA_TYPES } from '../../shared/image/media-types';
import { RegistryClient } from '../../shared/registry/client';
import { registryBaseUrl } from '../../shared/registry/endpoint';
import {
  RegistryForbiddenError,
  RegistryNotFoundError,
  RegistryResponseError,
} from '../../shared/registry/errors';
import { startServer, type RunningServer } from '../support/registry-server';

const MANIFEST = Buffer.from(
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}',
);
const MANIFEST_DIGEST = sha256Digest(MANIFEST);
const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

describe('registryBaseUrl', () => {
  it.each([
    ['docker.io', false, 'https://registry-1.docker.io/'],
    ['registry.example.com', false, 'https://registry.example.com/'],
    ['registry.example.com:8443', false, 'https://registry.example.com:8443/'],
    ['registry.example.com', true, 'http://registry.example.com/'],
    ['localhost', false, 'http://localhost/'],
    ['localhost:5000', false, 'http://localhost:5000/'],
    ['127.0.0.1:40000', false, 'http://127.0.0.1:40000/'],
    ['[::1]:5000', false, 'http://[::1]:5000/'],
    ['localhost.example.com', false, 'https://localhost.example.com/'],
  ])('serves %s (plainHttp %p) at %s', (registry, plainHttp, url) => {
    expect(registryBaseUrl(registry, plainHttp).href).toBe(url);
  });
});

describe('RegistryClient', () => {
  let server: RunningServer | undefined;
  let requests: IncomingMessage[];

  beforeEach(() => {
    requests = [];
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function serve(
    handler: (req: IncomingMessage, res: ServerResponse) => void,
  ): Promise<RegistryClient> {
    server = await startServer((req, res) => {
      requests.push(req);
      handler(req, res);
    });
    return new RegistryClient(server.host, { retry: FAST_RETRY, timeoutMs: 2_000 });
  }

  describe('fetchManifest', () => {
    describe('when fetched by tag', () => {
      it('sends every manifest media type in Accept', async () => {
        const client = await serve((_, res) => res.writeHead(200).end(MANIFEST));

        await client.fetchManifest('team/app', 'latest');

        expect(requests[0]!.url).toBe('/v2/team/app/manifests/latest');
        expect(requests[0]!.headers.accept!.split(', ')).toEqual([...MANIFEST_MEDIA_TYPES]);
      });

      it('answers the Docker-Content-Digest when the bytes hash to it', async () => {
        const client = await serve((_, res) =>
          res.writeHead(200, { 'Docker-Content-Digest': MANIFEST_DIGEST }).end(MANIFEST),
        );

        await expect(client.fetchManifest('team/app', 'latest')).resolves.toEqual({
          digest: MANIFEST_DIGEST,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          bytes: MANIFEST,
        });
      });

      it('answers the digest of the bytes when there is no Docker-Content-Digest', async () => {
        const client = await serve((_, res) => res.writeHead(200).end(MANIFEST));

        await expect(client.fetchManifest('team/app', 'latest')).resolves.toMatchObject({
          digest: MANIFEST_DIGEST,
        });
      });

      it('fails when the bytes do not hash to Docker-Content-Digest', async () => {
        const claimed = sha256Digest('something else');
        const client = await serve((_, res) =>
          res.writeHead(200, { 'Docker-Content-Digest': claimed }).end(MANIFEST),
        );

        const failure = client.fetchManifest('team/app', 'latest');

        await expect(failure).rejects.toThrow(DigestMismatchError);
        await expect(failure).rejects.toThrow(
          `digest mismatch for manifest latest of ${server!.host}/team/app (Docker-Content-Digest): expected ${claimed}, got ${MANIFEST_DIGEST}`,
        );
      });

      it('fails when Docker-Content-Digest is not a digest', async () => {
        const client = await serve((_, res) =>
          res.writeHead(200, { 'Docker-Content-Digest': 'md5:abc' }).end(MANIFEST),
        );

        await expect(client.fetchManifest('team/app', 'latest')).rejects.toThrow(
          RegistryResponseError,
        );
      });
    });

    describe('when fetched by digest', () => {
      it('fails when the bytes do not hash to the digest asked for', async () => {
        const asked = sha256Digest('the real manifest');
        const client = await serve((_, res) =>
          res.writeHead(200, { 'Docker-Content-Digest': asked }).end(MANIFEST),
        );

        await expect(client.fetchManifest('team/app', asked)).rejects.toThrow(DigestMismatchError);
      });

      it('fails when the size differs from the descriptor', async () => {
        const client = await serve((_, res) => res.writeHead(200).end(MANIFEST));
        const expected = { digest: MANIFEST_DIGEST, size: MANIFEST.length + 1 };

        await expect(client.fetchManifest('team/app', MANIFEST_DIGEST, expected)).rejects.toThrow(
          SizeMismatchError,
        );
      });

      it('fails before asking when the descriptor is over the limit', async () => {
        const client = await serve((_, res) => res.writeHead(200).end(MANIFEST));
        const expected = { digest: MANIFEST_DIGEST, size: MAX_MANIFEST_BYTES + 1 };

        await expect(client.fetchManifest('team/app', MANIFEST_DIGEST, expected)).rejects.toThrow(
          ManifestTooLargeError,
        );
        expect(requests).toHaveLength(0);
      });
    });

    describe('when the document has no mediaType', () => {
      it('takes the Content-Type without its parameters', async () => {
        const bare = Buffer.from('{"schemaVersion":2,"manifests":[]}');
        const type = 'application/vnd.docker.distribution.manifest.list.v2+json';
        const client = await serve((_, res) =>
          res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8` }).end(bare),
        );

        await expect(client.fetchManifest('team/app', 'latest')).resolves.toMatchObject({
          mediaType: type,
        });
      });
    });

    describe('when the manifest is over 4 MiB', () => {
      it('fails from a truthful Content-Length without reading the body', async () => {
        const client = await serve((_, res) => {
          // Headers promise 5 MiB, then the body stalls: reading it would time out instead.
          res.writeHead(200, { 'Content-Length': String(5 * 1024 * 1024) }).write('{');
        });

        await expect(client.fetchManifest('team/app', 'latest')).rejects.toThrow(
          `manifest latest of ${server!.host}/team/app is larger than the ${MAX_MANIFEST_BYTES}-byte limit for manifests`,
        );
      });

      it('fails while reading when there is no Content-Length', async () => {
        let written = 0;
        const client = await serve((_, res) => {
          res.writeHead(200);
          const chunk = Buffer.alloc(64 * 1024, 0x20);
          const pump = (): void => {
            while (written < 64 * 1024 * 1024 && !res.destroyed) {
              written += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          pump();
        });

        await expect(client.fetchManifest('team/app', 'latest')).rejects.toThrow(
          ManifestTooLargeError,
        );
        expect(written).toBeLessThan(16 * 1024 * 1024);
      });
    });

    it('fails when the tag does not exist, naming repository and tag, without retrying', async () => {
      const client = await serve((_, res) =>
        res
          .writeHead(404, { 'Content-Type': 'application/json' })
          .end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}'),
      );

      const failure = client.fetchManifest('team/app', 'v9');

      await expect(failure).rejects.toThrow(RegistryNotFoundError);
      await expect(failure).rejects.toThrow(
        `manifest v9 not found in repository team/app on ${server!.host} (HTTP 404): MANIFEST_UNKNOWN manifest unknown`,
      );
      expect(requests).toHaveLength(1);
    });

    it('retries while the registry answers 503, then reads the manifest', async () => {
      const client = await serve((_, res) =>
        requests.length < 3 ? res.writeHead(503).end() : res.writeHead(200).end(MANIFEST),
      );

      await expect(client.fetchManifest('team/app', 'latest')).resolves.toMatchObject({
        bytes: MANIFEST,
      });
      expect(requests).toHaveLength(3);
    });

    it('fails when the registry answers 503 to every attempt', async () => {
      const client = await serve((_, res) => res.writeHead(503).end());

      await expect(client.fetchManifest('team/app', 'latest')).rejects.toMatchObject({
        code: 'REGISTRY_UNAVAILABLE',
        kind: 'transient',
        message: `GET manifest latest of ${server!.host}/team/app failed after 3 attempts; last: HTTP 503`,
      });
    });

    it('fails when pulls are forbidden', async () => {
      const client = await serve((_, res) => res.writeHead(403).end());

      await expect(client.fetchManifest('team/app', 'latest')).rejects.toThrow(
        RegistryForbiddenError,
      );
      await expect(client.fetchManifest('team/app', 'latest')).rejects.toThrow(
        'got 403 Forbidden: anonymous pulls are not allowed',
      );
    });

    it('fails when the registry answers another status', async () => {
      const client = await serve((_, res) => res.writeHead(400).end());

      await expect(client.fetchManifest('team/app', 'latest')).rejects.toMatchObject({
        code: 'REGISTRY_UNEXPECTED_RESPONSE',
        status: 400,
      });
    });

    it('fails when the reference is neither a tag nor a digest', () => {
      const client = new RegistryClient('registry.example.com');

      expect(() => client.url('team/app', 'manifests', '../../etc')).toThrow(InvalidReferenceError);
      expect(() => client.url('team/app', 'blobs', 'latest')).toThrow(InvalidReferenceError);
    });
  });

  describe('openBlob', () => {
    const blob = Buffer.from('compressed layer bytes');
    const descriptor = {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: sha256Digest(blob),
      size: blob.length,
    };

    async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    }

    it('streams the blob from /v2/<name>/blobs/<digest>', async () => {
      const client = await serve((_, res) => res.writeHead(200).end(blob));

      await expect(readAll(await client.openBlob('team/app', descriptor))).resolves.toEqual(blob);
      expect(requests[0]!.url).toBe(`/v2/team/app/blobs/${descriptor.digest}`);
    });

    it('fails at the end of the stream when the blob was tampered with', async () => {
      const tampered = Buffer.from(blob);
      tampered[0] = 0x43;
      const client = await serve((_, res) => res.writeHead(200).end(tampered));

      const failure = readAll(await client.openBlob('team/app', descriptor));

      await expect(failure).rejects.toThrow(DigestMismatchError);
      await expect(failure).rejects.toThrow(
        `digest mismatch for blob ${descriptor.digest} of ${server!.host}/team/app`,
      );
    });

    it('fails when the blob is longer than its descriptor says', async () => {
      const client = await serve((_, res) => res.writeHead(200).end(Buffer.concat([blob, blob])));

      await expect(readAll(await client.openBlob('team/app', descriptor))).rejects.toThrow(
        SizeMismatchError,
      );
    });
  });
});
