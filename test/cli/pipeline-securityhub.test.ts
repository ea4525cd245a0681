import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AsffFinding } from '../../shared/securityhub';
import { clearance } from '../support/cli';
import { DEMO_IMAGE, DEMO_OSV } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

jest.setTimeout(120_000);

type Kept = AsffFinding & { Workflow: { Status: string } };

describe('clearance pipeline run with securityHub', () => {
  const dir = useTempDir();
  const state = () => join(dir(), 'state');
  const at = (iso: string) => ({ SOURCE_DATE_EPOCH: String(Date.parse(iso) / 1000) });
  const run = (reference: string, time: string) =>
    clearance(
      [
        'pipeline',
        'run',
        '-c',
        'clearance={"securityHub":true}',
        '--state-dir',
        state(),
        '--osv',
        DEMO_OSV,
        reference,
      ],
      at(time),
    );
  const hub = () =>
    JSON.parse(readFileSync(join(state(), 'securityhub.json'), 'utf8')) as Record<string, Kept>;

  it('publishes the findings after Record, and a re-scan updates the same ids', async () => {
    cpSync(DEMO_IMAGE, join(dir(), 'demo-image'), { recursive: true });
    const demo = `oci:${join(dir(), 'demo-image')}:latest`;

    const first = await run(demo, '2026-11-02T00:00:00Z');
    expect(first.stdout).toMatch(/✓ PublishFindings/);
    const published = hub();
    const findings = Object.values(published);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.RecordState === 'ACTIVE')).toBe(true);
    expect(
      new Set(findings.map((f) => f.Resources[0]!.Details.AwsEcrContainerImage.Architecture)),
    ).toEqual(new Set(['amd64', 'arm64']));
    expect(findings.map((f) => f.GeneratorId)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^clearance\/vulnerability\//)]),
    );

    await run(demo, '2026-11-03T00:00:00Z');
    const again = hub();
    expect(Object.keys(again).sort()).toEqual(Object.keys(published).sort());
    const one = Object.values(again)[0]!;
    expect(one.FirstObservedAt).toBe('2026-11-02T00:00:00.000Z');
    expect(one.UpdatedAt).toBe('2026-11-03T00:00:00.000Z');
  });
});
