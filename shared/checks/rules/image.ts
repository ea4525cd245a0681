import type { ImageCheck } from '../check';

const MB = 1e6;

export const osEndOfLife: ImageCheck = {
  id: 'os-end-of-life',
  version: 1,
  title: 'Operating system past its end of life',
  severity: 'HIGH',
  rationale:
    'A release past its end of life gets no security fixes: every new vulnerability in it stays open.',
  remediation: 'Rebuild on a supported release of the distribution.',
  evaluate({ os }) {
    if (os === null) return { status: 'not-applicable', evidence: ['unknown operating system'] };
    const name = os.prettyName ?? `${os.id} ${os.versionId ?? ''}`.trim();
    if (os.eol)
      return { status: 'fail', evidence: [`${name}: end of life ${os.eolDate ?? ''}`.trim()] };
    return {
      status: 'pass',
      evidence: [`${name}${os.eolDate ? `: supported until ${os.eolDate}` : ''}`],
    };
  },
};

export const imageSize: ImageCheck = {
  id: 'image-size',
  version: 1,
  title: 'Image size and layer count',
  severity: 'LOW',
  rationale:
    'Size and layer count show how much an image carries beyond its application; policy can set limits.',
  remediation:
    'Use multi-stage builds and a minimal base; merge RUN steps that clean up after themselves.',
  informational: true,
  evaluate({ layers }) {
    const compressed = layers.reduce((sum, l) => sum + l.compressedBytes, 0);
    const uncompressed = layers.reduce((sum, l) => sum + l.uncompressedBytes, 0);
    return {
      status: 'info',
      evidence: [
        `${layers.length} layers`,
        `${(compressed / MB).toFixed(1)} MB compressed`,
        `${(uncompressed / MB).toFixed(1)} MB uncompressed`,
      ],
    };
  },
};
