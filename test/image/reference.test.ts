import {
  InvalidReferenceError,
  formatImageReference,
  parseImageReference,
} from '../../shared/image';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  describe('when the reference is a bare registry reference', () => {
    it.each([
      ['alpine', 'docker.io/library/alpine:latest'],
      ['alpine:3.20', 'docker.io/library/alpine:3.20'],
      ['library/alpine', 'docker.io/library/alpine:latest'],
      ['index.docker.io/library/alpine', 'docker.io/library/alpine:latest'],
      ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
      ['ghcr.io/org/app:v1.2', 'ghcr.io/org/app:v1.2'],
      ['localhost:5000/app', 'localhost:5000/app:latest'],
      ['localhost/app', 'localhost/app:latest'],
      ['127.0.0.1:5000/a/b/c:tag', '127.0.0.1:5000/a/b/c:tag'],
      [`app@${DIGEST}`, `docker.io/library/app@${DIGEST}`],
      [`app:1@${DIGEST}`, `docker.io/library/app:1@${DIGEST}`],
      [
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1',
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app:1',
      ],
      ['docker://quay.io/org/app:1', 'quay.io/org/app:1'],
    ])('normalises %j to %j', (text, canonical) => {
      expect(formatImageReference(parseImageReference(text))).toBe(canonical);
    });
  });

  describe('when the reference names a local layout or archive', () => {
    it.each([
      ['oci:/tmp/layout', { transport: 'oci', path: '/tmp/layout' }],
      ['oci:/tmp/layout:v1', { transport: 'oci', path: '/tmp/layout', tag: 'v1' }],
      [`oci:rel/dir@${DIGEST}`, { transport: 'oci', path: 'rel/dir', digest: DIGEST }],
      ['docker-archive:/tmp/image.tar', { transport: 'docker-archive', path: '/tmp/image.tar' }],
    ])('parses %j', (text, expected) => {
      expect(parseImageReference(text)).toEqual(expected);
    });
  });

  describe('failures', () => {
    it.each([
      ['', 'reference'],
      ['UPPER/Case', 'repository'],
      ['app:bad tag!', 'tag'],
      ['app@sha256:123', 'digest'],
      ['ghcr.io/Org/app', 'repository'],
      ['oci-archive:/tmp/x.tar', 'transport'],
      ['https://ghcr.io/org/app', 'transport'],
      ['oci:', 'path'],
      ['docker-archive:', 'path'],
      [`registry.example.com/${'a'.repeat(256)}`, 'repository'],
    ])('fails for %j, naming the %s', (text, part) => {
      let error: unknown;
      try {
        parseImageReference(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidReferenceError);
      expect(error).toMatchObject({ part, code: 'INVALID_REFERENCE' });
    });
  });
});
