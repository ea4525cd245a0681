import { failIfAny, type ImageCheck } from '../check';

/** `ADD file:<hash> in /`: the builder's record of a base image's root filesystem. */
const BASE_ROOTFS = /^file:[0-9a-f]{64} in \/\s*$/;
const REMOTE = /(?:^|\s)(?:https?|ftp):\/\//i;

export const addInsteadOfCopy: ImageCheck = {
  id: 'add-instead-of-copy',
  version: 1,
  title: 'ADD used where COPY would do',
  severity: 'LOW',
  rationale:
    'ADD also unpacks archives and fetches URLs; COPY does only what it says, so what lands in the image is what the reader expects.',
  remediation: 'Use `COPY` for local files; unpack archives explicitly in a RUN.',
  cis: '4.9',
  dockle: 'CIS-DI-0009',
  evaluate({ instructions }) {
    return failIfAny(
      instructions
        .filter((i) => i.keyword === 'ADD' && !BASE_ROOTFS.test(i.text) && !REMOTE.test(i.text))
        .map((i) => `history[${i.index}]: ADD ${i.text}`),
    );
  },
};

export const addRemoteUrl: ImageCheck = {
  id: 'add-remote-url',
  version: 1,
  title: 'ADD of a remote URL',
  severity: 'HIGH',
  rationale:
    'ADD fetches a URL without verifying what it gets: the image depends on a remote server at build time, and a changed or tampered file goes in unnoticed.',
  remediation:
    'Download with a checksum check in a RUN (`curl -fsSLO … && echo "<sha256>  file" | sha256sum -c`), or `ADD --checksum=sha256:…`.',
  cis: '4.9',
  evaluate({ instructions }) {
    return failIfAny(
      instructions
        .filter(
          (i) => i.keyword === 'ADD' && REMOTE.test(i.text) && !i.text.includes('--checksum='),
        )
        .map((i) => `history[${i.index}]: ADD ${i.text}`),
    );
  },
};
