/**
 * The policy `clearance posture` applies unless given another (`--policy`): the Pod Security
 * Standards' baseline and a few of their restricted rules deny; the rest of the hardening warns.
 * Its rules read the deployment document (report.ts `deploymentDocument`), one workload at a time.
 */
export const DEFAULT_POSTURE_POLICY = `name: default-posture
onError: fail
rules:
  - id: no-privileged
    description: No privileged container, and no capability beyond NET_BIND_SERVICE added
    action: deny
    expression: >-
      !checks.exists(c, c.id in ['privileged', 'capabilities-added'] && c.status == 'fail')
    message: a container runs privileged or adds capabilities
  - id: no-host-namespaces
    description: No host network, PID, IPC or UTS namespace shared
    action: deny
    expression: >-
      !checks.exists(c, c.id in ['host-network', 'host-pid', 'host-ipc', 'host-uts'] && c.status == 'fail')
    message: the workload shares a host namespace
  - id: no-host-mounts
    description: No runtime socket, sensitive host directory or host device in a container
    action: deny
    expression: >-
      !checks.exists(c, c.id in ['docker-socket', 'sensitive-host-paths', 'host-devices'] && c.status == 'fail')
    message: a container mounts the runtime socket, a sensitive host path or a device
  - id: confinement-not-disabled
    description: Seccomp, AppArmor and SELinux are not switched off
    action: deny
    expression: >-
      !checks.exists(c, c.id in ['apparmor', 'selinux'] && c.status == 'fail')
    message: a container's AppArmor or SELinux confinement is disabled
  - id: no-root
    description: No container runs as root
    action: deny
    expression: "!checks.exists(c, c.id == 'run-as-non-root' && c.status == 'fail')"
    message: a container runs as root, or may (no user set and the image's user is unknown)
  - id: no-plain-secrets
    description: Secrets come from a secret store, never a plain environment variable
    action: deny
    expression: "!checks.exists(c, c.id == 'secrets-in-environment' && c.status == 'fail')"
    message: a secret is set in a plain environment variable
  - id: memory-limit
    description: Every container has a memory limit
    action: deny
    expression: "!checks.exists(c, c.id == 'memory-limit' && c.status == 'fail')"
    message: a container has no memory limit
  - id: image-verdict
    description: Every image's latest verdict passed, when verdicts were given
    action: deny
    expression: "!checks.exists(c, c.id == 'image-verdict' && c.status == 'fail')"
    message: a container runs an image whose verdict failed or is unknown
  - id: checks-ran
    description: Every check could be evaluated
    action: deny
    expression: "!checks.exists(c, c.status == 'error')"
    message: a check could not be evaluated (see the checks with status error)
  - id: hardening
    description: The restricted profile's hardening (drop ALL, no-new-privileges, seccomp), a read-only root, no API token
    action: warn
    expression: >-
      !checks.exists(c, c.id in ['capabilities-not-dropped', 'no-new-privileges', 'seccomp',
        'read-only-root-filesystem', 'service-account-token'] && c.status == 'fail')
    message: a container is not hardened (capabilities, no-new-privileges, seccomp, read-only root, API token)
  - id: images-pinned
    description: Images are referenced by digest from trusted registries
    action: warn
    expression: >-
      !checks.exists(c, c.id in ['image-pinned', 'image-trusted-registry'] && c.status == 'fail')
    message: an image is not pinned by digest, or comes from a registry not trusted
  - id: operations
    description: CPU and PIDs limits, central logging, health checks, no privileged host ports
    action: warn
    expression: >-
      !checks.exists(c, c.id in ['cpu-limit', 'pids-limit', 'central-logging', 'health-check',
        'privileged-ports'] && c.status == 'fail')
    message: a container lacks a CPU or PIDs limit, central logging or a health check
`;
