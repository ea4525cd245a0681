import type { PostureCheck, PostureContext, PostureOutcome } from '../check';
import type { ContainerSpec, WorkloadSpec } from '../workload';
import { eachContainer, evidenceOf, fail, notApplicable, pass, notInFormat } from './outcomes';

/*
 * What operations need of a running container: its logs shipped, its health known.
 */

/** Log drivers that ship logs off the host. */
const CENTRAL_DRIVERS = new Set([
  'awslogs',
  'awsfirelens',
  'splunk',
  'fluentd',
  'gelf',
  'syslog',
  'gcplogs',
  'logentries',
]);

export const centralLogging: PostureCheck = {
  id: 'central-logging',
  version: 1,
  title: 'Logs not shipped to a central store',
  severity: 'LOW',
  rationale:
    'Logs kept on the host (json-file, local) or discarded (none) are lost with the host and cannot be audited; the compliance frameworks ask for central logging.',
  remediation: {
    ecs: 'Set logConfiguration.logDriver to awslogs (or awsfirelens, splunk) with its options.',
    kubernetes:
      'Kubernetes leaves logs to the node: run a log shipper (Fluent Bit) as a DaemonSet.',
    compose: 'Set logging.driver to a central driver (awslogs, fluentd, gelf, splunk, syslog).',
  },
  evaluate(workload) {
    if (workload.format === 'kubernetes')
      return notInFormat(
        workload,
        'a Pod spec has no log driver: the cluster’s log shipper decides',
      );
    return eachContainer(workload, (c) => {
      const driver = c.logDriver.value;
      if (driver !== undefined && CENTRAL_DRIVERS.has(driver))
        return pass(c, [evidenceOf(c.logDriver)]);
      return fail(
        c,
        [evidenceOf(c.logDriver)],
        driver === undefined
          ? 'no log driver set: logs stay on the host'
          : `${driver} keeps logs on the host (or discards them)`,
      );
    });
  },
};

export const healthCheck: PostureCheck = {
  id: 'health-check',
  version: 1,
  title: 'No health check at run time',
  severity: 'LOW',
  cis: '5.27',
  rationale:
    'Without a health check a hung container keeps receiving traffic and is never replaced. Kubernetes ignores an image’s HEALTHCHECK; ECS and Docker run it when the definition sets none.',
  remediation: {
    ecs: 'Set healthCheck (command, interval, retries) in the container definition, or a HEALTHCHECK in the image.',
    kubernetes: 'Set a livenessProbe and a readinessProbe on the container.',
    compose:
      'Set healthcheck (test, interval, retries) on the service, or a HEALTHCHECK in the image.',
  },
  evaluate(workload, context) {
    return eachContainer(workload, (c) => judgeHealth(workload, c, context));
  },
};

const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

function judgeHealth(
  workload: WorkloadSpec,
  c: ContainerSpec,
  context: PostureContext,
): PostureOutcome {
  const evidence = [evidenceOf(c.healthCheck)];
  if (c.role !== 'main')
    return notApplicable(c, evidence, `an ${c.role} container takes no probes`);
  if (RUN_TO_COMPLETION.has(workload.kind))
    return notApplicable(
      c,
      evidence,
      `a ${workload.kind} runs to completion: nothing routes traffic to it`,
    );
  if (c.healthCheck.value === true) return pass(c, evidence);
  if (c.healthCheck.value === false) return fail(c, evidence, 'the health check is disabled');
  if (workload.format === 'kubernetes')
    return fail(c, evidence, 'no liveness, readiness or startup probe');
  const facts = context.image(c);
  const image = {
    path: `image ${c.image.value ?? ''}`,
    value: `HEALTHCHECK ${facts?.healthCheck ? 'declared' : 'missing'} (${facts?.source ?? ''})`,
  };
  if (facts?.healthCheck === true)
    return pass(c, [...evidence, image], 'the image’s HEALTHCHECK runs');
  if (facts?.healthCheck === false)
    return fail(c, [...evidence, image], 'neither the definition nor the image declares one');
  return fail(
    c,
    evidence,
    'none set here, and whether the image declares a HEALTHCHECK is not known',
  );
}
