import { secretValue } from '../../checks';
import { SECRET_RULES, SecretScanner } from '../../secrets';
import type { Evidence, ImageFacts, PostureCheck, PostureContext, PostureOutcome } from '../check';
import type { ContainerSpec, EnvironmentVariable, Field, WorkloadSpec } from '../workload';
import {
  eachContainer,
  evidenceOf,
  fail,
  isWindows,
  notApplicable,
  notApplicableToAll,
  pass,
} from './outcomes';

/*
 * Who the container runs as, and how it is given its secrets.
 */

/** `root`, `0`, `0:0`, `root:staff`: the user part names uid 0. */
function isRootUser(user: string): boolean {
  const name = user.split(':')[0]!.trim();
  return name === 'root' || name === '0';
}

export const runAsNonRoot: PostureCheck = {
  id: 'run-as-non-root',
  version: 1,
  title: 'Container runs as root',
  severity: 'HIGH',
  rationale:
    'A process running as root in the container is root on the host as soon as it escapes; a set user (or runAsNonRoot, which the kubelet enforces) keeps it unprivileged. A container that sets no user runs as its image’s USER, so the image’s verdict decides, when it is known.',
  remediation: {
    ecs: 'Set "user" to a non-root uid (e.g. "10001") in the container definition, or build the image with a non-root USER.',
    kubernetes:
      'Set securityContext.runAsNonRoot: true and runAsUser to a non-zero uid on the Pod or the container.',
    compose:
      'Set user: "10001" (a non-root uid) on the service, or build the image with a non-root USER.',
  },
  evaluate(workload, context) {
    if (isWindows(workload))
      return notApplicableToAll(
        workload,
        evidenceOf(workload.os),
        'Windows containers: uid 0 does not exist there',
      );
    return eachContainer(workload, (c) => judgeUser(c, context));
  },
};

function judgeUser(c: ContainerSpec, context: PostureContext): PostureOutcome {
  const { user, runAsUser, runAsNonRoot: nonRoot } = c.user;
  if (user?.value !== undefined)
    return isRootUser(user.value) ? fail(c, [evidenceOf(user)]) : pass(c, [evidenceOf(user)]);
  if (runAsUser?.value !== undefined)
    return runAsUser.value === 0
      ? fail(c, [evidenceOf(runAsUser)])
      : pass(c, [evidenceOf(runAsUser)]);
  if (nonRoot?.value === true)
    return pass(c, [evidenceOf(nonRoot)], 'the kubelet refuses to start it as root');
  const set = [user, runAsUser, nonRoot].flatMap((f?: Field<unknown>) =>
    f === undefined ? [] : [evidenceOf(f)],
  );
  return imageUser(c, set, context.image(c));
}

/** No user set: the image's USER decides, when its facts are known. */
function imageUser(
  c: ContainerSpec,
  set: readonly Evidence[],
  facts: ImageFacts | undefined,
): PostureOutcome {
  const image = (value: string) => ({ path: `image ${c.image.value ?? ''}`, value });
  if (facts?.runsAsRoot === false)
    return pass(c, [...set, image(`non-root USER (${facts.source})`)]);
  if (facts?.runsAsRoot === true) return fail(c, [...set, image(`runs as root (${facts.source})`)]);
  return fail(
    c,
    set,
    facts === undefined
      ? 'no user set: it runs as the image’s USER, which is not known here (give --verdicts or --image-report)'
      : `no user set, and the image’s user is not recorded (${facts.source})`,
  );
}

const scanner = new SecretScanner(SECRET_RULES);
/** Characters of a secret shown, and at most a quarter of it. */
const SHOWN = 4;

function redact(value: string): string {
  const shown = Math.min(SHOWN, Math.floor(value.length / 4));
  return `${value.slice(0, shown)}${'*'.repeat(Math.min(16, value.length - shown))}`;
}

/** A plain variable that holds a secret, as evidence with the value redacted; undefined when it does not. */
function plainSecret(variable: EnvironmentVariable): Evidence | undefined {
  if (variable.value === undefined) return undefined;
  const found = scanner.scanText(`${variable.name}=${variable.value}`);
  if (found.length > 0)
    return {
      path: variable.path,
      value: `${variable.name}: ${found.map((f) => `${f.rule} (${f.match})`).join(', ')}`,
    };
  if (secretValue(variable.name, variable.value))
    return { path: variable.path, value: `${variable.name}=${redact(variable.value)}` };
  return undefined;
}

export const secretsInEnvironment: PostureCheck = {
  id: 'secrets-in-environment',
  version: 1,
  title: 'Secret in a plain environment variable',
  severity: 'HIGH',
  rationale:
    'A plain environment variable is stored in the deployment definition, readable by whoever can describe it (ecs:DescribeTaskDefinition, kubectl get), and logged with it; a secret store reference is resolved only when the container starts.',
  remediation: {
    ecs: 'Move the value to Secrets Manager or SSM Parameter Store and reference it from "secrets" (name, valueFrom) instead of "environment".',
    kubernetes:
      'Move the value to a Secret and reference it with env[].valueFrom.secretKeyRef (or envFrom.secretRef).',
    compose:
      'Move the value to a secret (top-level secrets:, the service’s secrets:) and read it from /run/secrets.',
  },
  evaluate(workload: WorkloadSpec) {
    return eachContainer(workload, (c) => {
      const found = c.environment.flatMap((v) => plainSecret(v) ?? []);
      if (found.length > 0) return fail(c, found);
      const referenced = c.environment
        .filter((v) => v.from === 'secret-store' || v.from === 'secret')
        .map((v) => ({ path: v.path, value: `${v.name} from ${v.reference ?? 'a secret'}` }));
      const files = c.environmentFiles.map((f) => ({ path: f.path, value: f.name }));
      return pass(
        c,
        [...referenced, ...files],
        files.length > 0
          ? `no secret in the variables set here; the files of variables (${files.map((f) => f.value).join(', ')}) are read by the runtime, not by this check`
          : undefined,
      );
    });
  },
};

export const serviceAccountToken: PostureCheck = {
  id: 'service-account-token',
  version: 1,
  title: 'Service account token mounted',
  severity: 'LOW',
  rationale:
    'Kubernetes mounts the service account’s API token into every container unless told not to: whoever takes over the container can call the API server with the account’s rights. Few workloads call the API.',
  remediation: {
    ecs: 'ECS mounts no API token; the task role’s credentials are judged by IAM, not here.',
    kubernetes:
      'Set automountServiceAccountToken: false on the Pod spec (or its ServiceAccount) unless it calls the API server.',
    compose: 'Compose mounts no API token.',
  },
  evaluate(workload: WorkloadSpec) {
    const field = workload.automountServiceAccountToken;
    if (workload.format !== 'kubernetes')
      return [
        notApplicable(
          undefined,
          [evidenceOf(field)],
          `${workload.format === 'ecs' ? 'ECS' : 'Compose'} mounts no API token`,
        ),
      ];
    if (field.value === false) return [pass(undefined, [evidenceOf(field)])];
    return [
      fail(
        undefined,
        [evidenceOf(field)],
        field.value === true
          ? 'mounted on purpose'
          : 'not opted out: the token is mounted unless the ServiceAccount says otherwise (not seen here)',
      ),
    ];
  },
};
