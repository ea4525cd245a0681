/**
 * `clearance pipeline run`'s events outbox: the template's Notify puts `Clearance Scan Verdict`
 * for every verdict when the stack has `publishEvents` (the default), none without it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeTemplate } from '../../lib/synthesize';
import type { OutboxEvent } from '../../shared/local/event-outbox';
import { runLocalScan } from '../../shared/local/scan';
import { DEFAULT_POLICY, parsePolicy } from '../../shared/policy';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { eventSchemaErrors } from '../support/events';
import { DEMO_IMAGE, DEMO_OSV } from '../support/scan-steps';
import { useTempDir } from '../support/temp';
import { cpSync } from 'node:fs';

jest.setTimeout(120_000);

const NOW = new Date('2026-11-02T10:00:00Z');

let withEvents: Record<string, unknown>;
let withoutEvents: Record<string, unknown>;
beforeAll(() => {
  withEvents = synthesizeTemplate();
  withoutEvents = synthesizeTemplate({ context: { clearance: { publishEvents: false } } });
});

const dir = useTempDir();
let store: LocalStore;
beforeEach(async () => {
  store = LocalStore.open(join(dir(), 'db'), { create: true });
  await importOsv(store, [DEMO_OSV]);
});
afterEach(() => store.close());

function scan(template: Record<string, unknown>, clock = () => NOW) {
  const copy = join(dir(), 'demo-image');
  cpSync(DEMO_IMAGE, copy, { recursive: true });
  return runLocalScan({
    reference: `oci:${copy}:latest`,
    stateDir: join(dir(), 'state'),
    vulnerabilities: store,
    policy: parsePolicy(DEFAULT_POLICY, 'default'),
    template,
    out: { write: () => true },
    clock,
    actor: 'tester',
    retryIntervalMs: 0,
  });
}

const eventsFile = () => join(dir(), 'state', 'events.jsonl');
const events = (): OutboxEvent[] =>
  readFileSync(eventsFile(), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as OutboxEvent);

describe('clearance pipeline run', () => {
  describe('when the template publishes events', () => {
    it("writes the verdict's event, valid against its schema, for every verdict", async () => {
      const first = await scan(withEvents);
      await scan(withEvents, () => new Date(NOW.getTime() + 60_000));
      const written = events();
      expect(written).toHaveLength(2);
      expect(written[0]).toMatchObject({
        source: 'clearance',
        'detail-type': 'Clearance Scan Verdict',
        detail: { version: '1', verdict: first.decision, changed: true },
      });
      for (const e of written)
        expect(eventSchemaErrors({ detailType: e['detail-type'], detail: e.detail })).toEqual([]);
      expect(written[1]!.detail).toMatchObject({ changed: false });
      expect(new Set(written.map((e) => e.id)).size).toBe(written.length);
    });
  });

  describe('when the template does not', () => {
    it('writes no event', async () => {
      await scan(withoutEvents);
      expect(existsSync(eventsFile())).toBe(false);
    });
  });
});
