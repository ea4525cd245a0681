import { failIfAny, type ImageCheck } from '../check';

const SUDO = /(?:^|[\s;&|(])sudo\s/;

export const sudoInRun: ImageCheck = {
  id: 'sudo-in-run',
  version: 1,
  title: 'sudo used in a RUN',
  severity: 'MEDIUM',
  rationale:
    'RUN already runs as the build user; sudo in an image means sudo is installed and configured, a ready privilege escalation at run time.',
  remediation: 'Run the step as root with `USER root` around it, and do not install sudo.',
  dockle: 'DKL-DI-0001',
  evaluate({ instructions }) {
    return failIfAny(
      instructions
        .filter((i) => i.keyword === 'RUN' && SUDO.test(i.text))
        .map((i) => `history[${i.index}]: RUN ${i.text}`),
    );
  },
};

export const sshPortExposed: ImageCheck = {
  id: 'ssh-port-exposed',
  version: 1,
  title: 'SSH port 22 exposed',
  severity: 'MEDIUM',
  rationale:
    'A container is not a host to log in to: an SSH daemon is an entry point to secure, patch and watch.',
  remediation:
    'Remove `EXPOSE 22` and the SSH server; use `docker exec` or `kubectl exec` to debug.',
  evaluate({ config }) {
    const ports = Object.keys(config.config?.ExposedPorts ?? {});
    return failIfAny(ports.filter((p) => /^22(?:\/tcp)?$/.test(p)).map((p) => `EXPOSE ${p}`));
  },
};
