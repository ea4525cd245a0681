import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeTemplate } from '../../lib/synthesize';
import { buildArtifact, writeArtifactLayout } from '../support/artifacts';
import { clearance } from '../support/cli';
import { buildImage, writeOciLayout, type LayerSpec } from '../support/image-builder';
import { DEMO_OSV } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

jest.setTimeout(60_000);

/** The example advisories are dated 2026-11-01: fresh the next day, stale a month later. */
const FRESH = { SOURCE_DATE_EPOCH: String(Date.parse('2026-11-02T00:00:00Z') / 1000) };
const STALE = { SOURCE_DATE_EPOCH: String(Date.parse('2026-12-07T00:00:00Z') / 1000) };
const PASSING: LayerSpec[] = [
  { files: { 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n', 'app/x': 'x' } },
];
const CONFIG = { User: 'app', Healthcheck: { Test: ['CMD', 'true'] } };

let synthesized: string | undefined;

describe('clearance pipeline run, on what it cannot check', () => {
  const dir = useTempDir();
  /** The default template, synthesized once for the file, so each run skips the synthesis. */
  const template = (): string => {
    const file = join(dir(), 'Clearance.template.json');
    synthesized ??= JSON.stringify(synthesizeTemplate());
    if (!existsSync(file)) writeFileSync(file, synthesized);
    return file;
  };
  const run = (reference: string, env: Record<string, string>, ...flags: string[]) =>
    clearance(
      [
        'pipeline',
        'run',
        '--state-dir',
        join(dir(), 'state'),
        '--osv',
        DEMO_OSV,
        '--template',
        template(),
        ...flags,
        reference,
      ],
      env,
    );
  async function layout(layers: LayerSpec[], diffIds?: string[]): Promise<string> {
    const oci = join(dir(), 'image');
    await writeOciLayout(oci, {
      '1.0': await buildImage({ layers, config: CONFIG, ...(diffIds && { diffIds }) }),
    });
    return `oci:${oci}:1.0`;
  }

  describe('when the image passes and everything was checked', () => {
    it('passes, and exits 0', async () => {
      const result = await run(await layout(PASSING), FRESH);
      expect(result.stdout).toMatch(/✓ Evaluate {2}linux\/amd64: pass {2}/);
      expect(result.code).toBe(0);
    });
  });

  describe('when the vulnerability data is stale', () => {
    it('fails the verdict as incomplete, naming the gap, and exits 1', async () => {
      const result = await run(await layout(PASSING), STALE);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /✓ Evaluate {2}linux\/amd64: fail; incomplete: stale-data 2026-11-01T00:00:00Z/,
      );
      expect(result.stdout).toMatch(/notification to alerts: \[FAIL\] image:1\.0 - incomplete/);
      const outbox = readFileSync(join(dir(), 'state', 'outbox.jsonl'), 'utf8');
      expect(outbox).toContain('Not checked (the verdict fails until this is fixed');
    });

    it('passes with --allow-incomplete, or --allow-gap stale-data', async () => {
      expect((await run(await layout(PASSING), STALE, '--allow-incomplete')).code).toBe(0);
      expect((await run(await layout(PASSING), STALE, '--allow-gap', 'stale-data')).code).toBe(0);
    });

    it('passes with a larger --max-data-age', async () => {
      expect((await run(await layout(PASSING), STALE, '--max-data-age', '2000')).code).toBe(0);
    });
  });

  describe('when a layer does not verify', () => {
    it('records the verdict fail, incomplete (the image is the problem, not the pipeline), and exits 1', async () => {
      const result = await run(await layout(PASSING, [`sha256:${'0'.repeat(64)}`]), FRESH);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/linux\/amd64: fail; incomplete: layer-unverified sha256:/);
      expect(readFileSync(join(dir(), 'state', 'audit.jsonl'), 'utf8')).toMatch(/"scan.completed"/);
    });
  });

  describe('when the reference names an artifact', () => {
    it('scans nothing, records artifact.skipped, tells no one, and exits 2 saying what it is', async () => {
      const image = await buildImage({ layers: PASSING });
      const oci = join(dir(), 'repository');
      await writeArtifactLayout(oci, {
        app: image,
        chart: await buildArtifact('helm-chart', image.descriptor),
      });
      const result = await run(`oci:${oci}:chart`, FRESH);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /^clearance: repository@sha256:[0-9a-f]{64} is not a container image: it is a Helm chart \(application\/vnd\.cncf\.helm\.config\.v1\+json\)\n$/,
      );
      expect(result.stdout).toMatch(/✓ Resolve {2}skipped: /);
      expect(result.stdout).not.toMatch(/AnalyzeLayer|notification to/);
      const audit = readFileSync(join(dir(), 'state', 'audit.jsonl'), 'utf8');
      expect(audit).toMatch(/"type":"artifact.skipped"/);
      expect(audit).not.toMatch(/"scan.failed"/);
    });
  });

  it('refuses a --max-data-age that is not a number of hours', async () => {
    const result = await run(await layout(PASSING), FRESH, '--max-data-age', 'soon');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'clearance: --max-data-age: "soon" is not a positive number of hours\n',
    );
  });
});
