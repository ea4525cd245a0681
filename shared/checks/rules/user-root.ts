import type { ImageCheck } from '../check';

/** `USER` unset, `root` or uid 0, with or without a group. */
const ROOT = /^(?:root|0)?(?::.*)?$/;

export const userRoot: ImageCheck = {
  id: 'user-root',
  version: 1,
  title: 'Container runs as root',
  severity: 'HIGH',
  rationale:
    'A process running as root in the container is root on the host if it escapes, and can change anything in the image filesystem.',
  remediation: 'Create an unprivileged user and add `USER <name or uid>` to the Dockerfile.',
  cis: '4.1',
  dockle: 'CIS-DI-0001',
  evaluate({ config }) {
    const user = config.config?.User?.trim() ?? '';
    return ROOT.test(user)
      ? { status: 'fail', evidence: [user === '' ? 'no USER: runs as root' : `USER ${user}`] }
      : { status: 'pass', evidence: [`USER ${user}`] };
  },
};
