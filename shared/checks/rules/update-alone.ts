import { failIfAny, type ImageCheck } from '../check';

const UPDATE =
  /\b(?:apt-get|apt|apk|yum|dnf|microdnf|zypper)\s+(?:-\S+\s+)*(?:update|makecache|refresh)\b/;
const INSTALL =
  /\b(?:apt-get|apt|apk|yum|dnf|microdnf|zypper)\s+(?:-\S+\s+)*(?:install|add|upgrade|dist-upgrade|in)\b/;

export const updateAlone: ImageCheck = {
  id: 'update-alone',
  version: 1,
  title: 'Package index updated in a RUN of its own',
  severity: 'MEDIUM',
  rationale:
    'A RUN that only updates the package index is cached on its own: later builds reuse the stale index and install outdated, vulnerable packages.',
  remediation: 'Update and install in the same RUN: `RUN apt-get update && apt-get install -y …`.',
  cis: '4.7',
  dockle: 'CIS-DI-0007',
  evaluate({ instructions }) {
    return failIfAny(
      instructions
        .filter((i) => i.keyword === 'RUN' && UPDATE.test(i.text) && !INSTALL.test(i.text))
        .map((i) => `history[${i.index}]: RUN ${i.text}`),
    );
  },
};
