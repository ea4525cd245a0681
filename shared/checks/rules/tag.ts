import type { ImageCheck } from '../check';

const BASE_NAME = 'org.opencontainers.image.base.name';
const BASE_DIGEST = 'org.opencontainers.image.base.digest';

export const latestTag: ImageCheck = {
  id: 'latest-tag',
  version: 1,
  title: 'Image referenced by the `latest` tag',
  severity: 'MEDIUM',
  rationale:
    '`latest` names whatever was pushed last: a deployment that uses it cannot say which image it runs, nor roll back to one.',
  remediation: 'Tag images with a version (or the commit) and deploy by digest.',
  dockle: 'DKL-DI-0006',
  evaluate({ reference }) {
    if (reference.transport === 'docker-archive') return { status: 'not-applicable', evidence: [] };
    if (reference.digest !== undefined)
      return { status: 'pass', evidence: [`pinned by digest ${reference.digest}`] };
    const tag = reference.tag ?? 'latest';
    return tag === 'latest'
      ? {
          status: 'fail',
          evidence: [reference.tag === undefined ? 'no tag: latest' : 'tag latest'],
        }
      : { status: 'pass', evidence: [`tag ${tag}`] };
  },
};

export const baseImageNotPinned: ImageCheck = {
  id: 'base-image-not-pinned',
  version: 1,
  title: 'Base image not pinned by digest',
  severity: 'LOW',
  rationale:
    'A base image named by tag changes under the build: two builds of the same Dockerfile can contain different operating systems.',
  remediation:
    'Name the base by digest (`FROM debian:12@sha256:…`) and record it (`--label org.opencontainers.image.base.digest=…`).',
  evaluate({ annotations }) {
    const name = annotations[BASE_NAME];
    const digest = annotations[BASE_DIGEST];
    if (digest !== undefined) return { status: 'pass', evidence: [`${BASE_DIGEST}=${digest}`] };
    if (name === undefined)
      return { status: 'not-applicable', evidence: ['the image does not say its base'] };
    return { status: 'fail', evidence: [`${BASE_NAME}=${name}, no ${BASE_DIGEST}`] };
  },
};
