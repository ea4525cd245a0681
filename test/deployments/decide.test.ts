import { decideTask } from '../../shared/deployments/decide';
import type { RuntimeException, RuntimeGate } from '../../shared/deployments/settings';
import { TaskStateChangeEvent, taskContainers } from '../../shared/deployments/task-event';
import type { StoredVerdict } from '../../shared/pipeline/ports';
import {
  API_DIGEST,
  LOG_ROUTER_DIGEST,
  ecsTaskEvent,
  storedVerdict,
} from '../support/ecs-task-events';

const SERVICE = TaskStateChangeEvent.parse(ecsTaskEvent('running-service')).detail;
const STOPPING = TaskStateChangeEvent.parse(ecsTaskEvent('running-stopping')).detail;
const DAY = '2026-11-30';

const EXCEPTION: RuntimeException = {
  id: 'payments-migration',
  repositories: ['payments/*'],
  clusters: ['prod-*'],
  owner: 'payments@example.com',
  reason: 'CVE fix rolls out with 1.5',
  expires: '2026-12-31',
};

const gate = (more: Partial<RuntimeGate> = {}): RuntimeGate => ({
  enforcement: 'stop',
  clusters: ['*'],
  exceptions: [],
  ...more,
});

/** The service task's decision with `verdicts` by digest (a digest left out has none). */
function decide(
  g: RuntimeGate,
  verdicts: Record<string, StoredVerdict['decision']>,
  detail = SERVICE,
) {
  const judged = taskContainers(detail).deployed.map((container) => ({
    container,
    stored:
      container.digest !== null && verdicts[container.digest] !== undefined
        ? storedVerdict(container.digest, verdicts[container.digest]!)
        : undefined,
  }));
  return decideTask(detail, judged, g, DAY);
}

const actions = (d: ReturnType<typeof decide>) =>
  d.containers.map((c) => [c.container.name, c.verdict, c.action]);

describe('decideTask', () => {
  describe('when enforcement is alert', () => {
    it('records trusted images and alerts on failing and unknown ones, stopping nothing', () => {
      const d = decide(gate({ enforcement: 'alert' }), {
        [API_DIGEST]: 'fail',
        [LOG_ROUTER_DIGEST]: 'warn',
      });
      expect(actions(d)).toEqual([
        ['api', 'fail', 'alerted'],
        ['log_router', 'warn', 'recorded'],
        ['proxy', 'unknown', 'alerted'],
      ]);
      expect(d.stop).toBe(false);
    });

    it('uses no exception', () => {
      const d = decide(gate({ enforcement: 'alert', exceptions: [EXCEPTION] }), {});
      expect(d.containers.some((c) => c.exception !== undefined)).toBe(false);
    });
  });

  describe('when enforcement is stop', () => {
    it('stops a task with a failing or unknown image', () => {
      const d = decide(gate(), { [API_DIGEST]: 'pass', [LOG_ROUTER_DIGEST]: 'pass' });
      expect(actions(d)).toEqual([
        ['api', 'pass', 'recorded'],
        ['log_router', 'pass', 'recorded'],
        ['proxy', 'unknown', 'stopped'],
      ]);
      expect(d.stop).toBe(true);
    });

    it('stops nothing when every image passes or warns', () => {
      const d = decide(gate(), { [API_DIGEST]: 'pass', [LOG_ROUTER_DIGEST]: 'warn' }, STOPPING);
      expect(d.stop).toBe(false);
    });

    it('only alerts in a cluster the gate does not cover', () => {
      const d = decide(gate({ clusters: ['staging-*'] }), { [API_DIGEST]: 'fail' });
      expect(d.stop).toBe(false);
      expect(actions(d)[0]).toEqual(['api', 'fail', 'alerted']);
    });

    it('only alerts on a task ECS is already stopping', () => {
      const d = decide(gate(), {}, STOPPING);
      expect(actions(d)).toEqual([['FargateApp', 'unknown', 'alerted']]);
      expect(d.stop).toBe(false);
    });
  });

  describe('when a runtime exception covers the repository and cluster', () => {
    it('turns the stop into an alert, naming the exception', () => {
      const d = decide(gate({ exceptions: [EXCEPTION] }), {
        [API_DIGEST]: 'fail',
        [LOG_ROUTER_DIGEST]: 'pass',
      });
      expect(d.containers[0]).toMatchObject({ action: 'excepted', exception: EXCEPTION });
      // The Docker Hub proxy is not in payments/*: the task is still stopped for it.
      expect(actions(d)[2]).toEqual(['proxy', 'unknown', 'stopped']);
      expect(d.stop).toBe(true);
    });

    it('covers every repository of its clusters when it names no repositories', () => {
      const { repositories: _r, ...byCluster } = EXCEPTION;
      const d = decide(gate({ exceptions: [byCluster] }), { [LOG_ROUTER_DIGEST]: 'pass' });
      expect(d.stop).toBe(false);
      expect(actions(d).map(([, , action]) => action)).toEqual([
        'excepted',
        'recorded',
        'excepted',
      ]);
    });

    it('does not cover another cluster', () => {
      const d = decide(gate({ exceptions: [{ ...EXCEPTION, clusters: ['batch-*'] }] }), {
        [API_DIGEST]: 'fail',
      });
      expect(d.containers[0]?.action).toBe('stopped');
    });

    it('applies through its expiry day', () => {
      const d = decide(gate({ exceptions: [{ ...EXCEPTION, expires: DAY }] }), {
        [API_DIGEST]: 'fail',
      });
      expect(d.containers[0]?.action).toBe('excepted');
    });
  });

  describe('when the exception that covers it has expired', () => {
    it('applies to nothing and is reported with the decision', () => {
      const expired = { ...EXCEPTION, expires: '2026-11-29' };
      const d = decide(gate({ exceptions: [expired] }), { [API_DIGEST]: 'fail' });
      expect(d.containers[0]).toMatchObject({ action: 'stopped', expired: [expired] });
      expect(d.containers[0]?.exception).toBeUndefined();
    });
  });
});
