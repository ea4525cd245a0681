import { DirectoryObjectStore } from '../../shared/objects';
import {
  TREND_NIGHTS,
  fleetHtml,
  readFleetHistory,
  writeFleetPage,
} from '../../shared/fleet/fleet-page';
import type { RematchedItem } from '../../shared/fleet/schemas';
import { fleetSummary, type FleetSummary } from '../../shared/fleet/summarize';
import type { ImageTarget } from '../../shared/pipeline/states';
import { useTempDir } from '../support/temp';

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const image = (repository: string, c: string, tag?: string): ImageTarget => ({
  registry: REGISTRY,
  repository,
  digest: `sha256:${c.repeat(64)}`,
  ...(tag !== undefined && { tag }),
});
const counts = (critical = 0, high = 0) => ({ critical, high, medium: 0, low: 0, unknown: 0 });

function rematched(target: ImageTarget, item: Partial<RematchedItem> = {}) {
  const output: RematchedItem = {
    image: target,
    rematched: true,
    decision: 'pass',
    previousDecision: 'pass',
    newSevereFindings: [],
    counts: counts(),
    changed: false,
    dataVersion: 'sha256:data',
    ...item,
  };
  return { status: 'SUCCEEDED', input: {}, output };
}

/** A night's summary, as Summarize makes it from the map's results. */
function night(runId: string, day: number, executions = [rematched(image('team/web', 'a'))]) {
  return fleetSummary(
    { runId, manifestKey: `fleet/${runId}/results/manifest.json` },
    { succeeded: executions, failed: [], pending: [] },
    new Date(Date.UTC(2026, 11, day, 4)),
  );
}

describe('the fleet page', () => {
  const dir = useTempDir();
  const store = () => new DirectoryObjectStore(dir());

  async function stored(summary: FleetSummary): Promise<void> {
    await store().put(`fleet/${summary.runId}/summary.json`, Buffer.from(JSON.stringify(summary)));
  }

  describe('when earlier runs left their summaries', () => {
    it('reads the last nights before this one, oldest first, and counts the unreadable', async () => {
      for (let day = 1; day <= TREND_NIGHTS + 3; day++) await stored(night(`n-${day}`, day));
      await store().put('fleet/broken/summary.json', Buffer.from('{not json'));
      const current = night('n-18', 18);
      await stored(current);
      await stored(night('n-19', 19)); // a later run (a re-drive): not history of this one
      const history = await readFleetHistory(store(), current);
      expect(history.summaries.map((s) => s.runId)).toEqual(
        Array.from({ length: TREND_NIGHTS }, (_, i) => `n-${i + 4}`),
      );
      expect(history.unreadable).toBe(1);
    });

    it('writes fleet/<runId>/index.html with a trend column per night', async () => {
      for (let day = 1; day <= 3; day++) await stored(night(`n-${day}`, day));
      const current = night('n-4', 4);
      const key = await writeFleetPage(store(), current);
      expect(key).toBe('fleet/n-4/index.html');
      const html = (await store().get(key))!.toString('utf8');
      expect(html).toContain('Trend: the last 4 runs');
      expect(html.match(/class="l">12-0\d</g)).toHaveLength(4);
      expect(html).toContain("default-src 'none'");
    });
  });

  describe('when no earlier summary is stored', () => {
    it('draws the run alone and says the trend starts here', async () => {
      const html = (await store().get(
        await writeFleetPage(store(), night('first', 1)),
      ))!.toString();
      expect(html).toContain('No earlier summary is stored: the trend starts with this run.');
    });
  });

  describe('when images gained and lost CRITICAL/HIGH findings', () => {
    const summary = night('n-9', 9, [
      rematched(image('team/api', 'b', '2.0'), {
        decision: 'fail',
        counts: counts(1, 0),
        newSevereFindings: ['CVE-2026-0001'],
        fixedSevereFindings: ['CVE-2025-0100'],
      }),
      rematched(image('team/web', 'c', '1.0'), { fixedSevereFindings: ['CVE-2025-0100'] }),
    ]);

    it('lists both, the fixed ones with the images that lost them', () => {
      expect(summary.fixedFindings).toEqual([
        {
          id: 'CVE-2025-0100',
          images: [image('team/api', 'b', '2.0'), image('team/web', 'c', '1.0')],
        },
      ]);
      const html = fleetHtml(summary, { summaries: [], unreadable: 0 });
      expect(html).toContain('New critical/high findings (1)');
      expect(html).toContain('Fixed critical/high findings (1)');
      expect(html).toContain('<code>team/api:2.0</code>');
    });

    it('leaves fixedFindings out when nothing was fixed', () => {
      expect(night('n-1', 1)).not.toHaveProperty('fixedFindings');
    });
  });

  describe('when a repository name is hostile markup', () => {
    it('escapes it', () => {
      const hostile = night('n-1', 1, [
        rematched(image('<script>alert(1)</script>', 'd'), { decision: 'fail' }),
      ]);
      const html = fleetHtml(hostile, { summaries: [], unreadable: 0 });
      expect(html).not.toContain('<script');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });
  });
});
