import type { TaskRef, TaskStopper } from '../../shared/deployments/ports';
import type { RuntimeGate } from '../../shared/deployments/settings';
import { TaskStateChangeEvent } from '../../shared/deployments/task-event';
import { watchDeployment } from '../../shared/deployments/watch';
import {
  API_DIGEST,
  FARGATE_DIGEST,
  FARGATE_TASK,
  LOG_ROUTER_DIGEST,
  SERVICE_TASK,
  ecsTaskEvent,
  storedVerdict,
  type EcsTaskEventName,
} from '../support/ecs-task-events';
import { eventSchemaErrors, MemoryEventPublisher } from '../support/events';
import { MemoryAuditLog, MemoryNotifier, MemoryVerdictStore } from '../support/pipeline-ports';

class MemoryStopper implements TaskStopper {
  readonly stopped: string[] = [];
  stop(task: TaskRef): Promise<void> {
    this.stopped.push(task.taskArn);
    return Promise.resolve();
  }
}

const ALERT: RuntimeGate = { enforcement: 'alert', clusters: ['*'], exceptions: [] };
const STOP: RuntimeGate = { ...ALERT, enforcement: 'stop' };

function setUp(gate: RuntimeGate = ALERT) {
  return {
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    notifier: new MemoryNotifier(),
    stopper: new MemoryStopper(),
    gate,
    events: new MemoryEventPublisher(),
  };
}

const event = (name: EcsTaskEventName) => TaskStateChangeEvent.parse(ecsTaskEvent(name));

describe('watchDeployment', () => {
  describe('when events are on', () => {
    it('puts Clearance Image Deployed per container, valid against its schema', async () => {
      const deps = setUp();
      deps.verdicts.byDigest.set(API_DIGEST, storedVerdict(API_DIGEST, 'pass'));
      deps.verdicts.byDigest.set(LOG_ROUTER_DIGEST, storedVerdict(LOG_ROUTER_DIGEST, 'fail'));
      await watchDeployment(event('running-service'), deps);
      const { events } = deps.events;
      expect(events.length).toBeGreaterThanOrEqual(2);
      for (const e of events) {
        expect(e.detailType).toBe('Clearance Image Deployed');
        expect(e.resources[0]).toBe(SERVICE_TASK);
        expect(eventSchemaErrors(e)).toEqual([]);
      }
      expect(events.map((e) => e.detail.verdict)).toEqual(expect.arrayContaining(['pass', 'fail']));
      expect(events.find((e) => e.detail.verdict === 'pass')!.detail).toMatchObject({
        version: '1',
        cluster: 'prod-east',
        digest: API_DIGEST,
        scanId: 'scan-pass',
        action: 'recorded',
        versions: { dataVersion: 'osv-2026-11-29T00:00:00Z' },
      });
    });

    it('puts Clearance Deployment Stopped when the gate stops the task', async () => {
      const deps = setUp(STOP);
      deps.verdicts.byDigest.set(FARGATE_DIGEST, storedVerdict(FARGATE_DIGEST, 'fail'));
      await watchDeployment(event('running-fargate'), deps);
      const stopped = deps.events.events.filter(
        (e) => e.detailType === 'Clearance Deployment Stopped',
      );
      expect(stopped).toHaveLength(1);
      expect(stopped[0]!.detail).toMatchObject({
        taskArn: FARGATE_TASK,
        reason: expect.stringMatching(/^Clearance: container/),
        containers: [expect.objectContaining({ verdict: 'fail' })],
      });
      expect(eventSchemaErrors(stopped[0]!)).toEqual([]);
    });

    it('puts an image never scanned as unknown, valid against its schema', async () => {
      const deps = setUp();
      await watchDeployment(event('running-fargate'), deps);
      expect(deps.events.events).toHaveLength(1);
      expect(deps.events.events[0]!.detail).toMatchObject({ verdict: 'unknown', scanId: null });
      expect(eventSchemaErrors(deps.events.events[0]!)).toEqual([]);
    });

    it('puts nothing again for a repeated delivery', async () => {
      const deps = setUp();
      await watchDeployment(event('running-fargate'), deps);
      await watchDeployment(event('running-fargate'), deps);
      expect(deps.events.events).toHaveLength(1);
    });

    it('puts nothing for a task that is not RUNNING', async () => {
      const deps = setUp();
      await watchDeployment(event('stopped-fargate'), deps);
      expect(deps.events.events).toEqual([]);
    });
  });
});
