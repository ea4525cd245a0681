import { digest12, imageName, imageReference } from '../../shared/pipeline/image-names';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('image names', () => {
  describe('imageName', () => {
    it('names a tagged image by its tag', () => {
      expect(imageName({ repository: 'payments/api', digest: DIGEST, tag: '1.4.2' })).toBe(
        'payments/api:1.4.2',
      );
    });

    it('names an untagged image by its short digest', () => {
      expect(imageName({ repository: 'payments/api', digest: DIGEST })).toBe(
        'payments/api@sha256:0123456789ab',
      );
      expect(digest12(DIGEST)).toBe('0123456789ab');
    });
  });

  describe('imageReference', () => {
    it.each([
      [
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        `123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/api@${DIGEST}`,
      ],
      ['oci:examples/demo-image', `oci:examples/demo-image@${DIGEST}`],
      ['docker-archive:/tmp/app.tar', 'docker-archive:/tmp/app.tar'],
    ])('names the exact image of registry %s', (registry, reference) => {
      expect(imageReference({ registry, repository: 'payments/api', digest: DIGEST })).toBe(
        reference,
      );
    });
  });
});
