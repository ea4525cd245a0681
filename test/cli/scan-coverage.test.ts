import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Coverage } from '../../shared/coverage';
import { MediaType } from '../../shared/image/media-types';
import type { ScanReport } from '../../shared/scan/report';
import { FIXTURES } from '../support/analyzer-fixtures';
import { clearance } from '../support/cli';
import { buildImage, writeOciLayout, type LayerSpec } from '../support/image-builder';
import { sarifSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

/** The example advisories (examples/osv) are dated 2026-11-01: a day later the data is fresh. */
const EXAMPLES = join(__dirname, '..', '..', 'examples', 'osv');
const FRESH = { SOURCE_DATE_EPOCH: String(Date.parse('2026-11-02T00:00:00Z') / 1000) };
const STALE = { SOURCE_DATE_EPOCH: String(Date.parse('2026-12-07T00:00:00Z') / 1000) };

const DEBIAN = 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n';
const AMAZON =
  'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nVERSION_ID="2023"\nPRETTY_NAME="Amazon Linux 2023"\n';
const STATUS =
  'Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u8\nSource: glibc\n';
const USER = { User: 'app', Healthcheck: { Test: ['CMD', 'true'] } };

const debian: LayerSpec = {
  files: { 'etc/os-release': DEBIAN, 'var/lib/dpkg/status': STATUS },
};
const amazon: LayerSpec = {
  files: {
    'etc/os-release': AMAZON,
    'var/lib/rpm/rpmdb.sqlite': readFileSync(
      join(FIXTURES, 'rpm/multiple/var/lib/rpm/rpmdb.sqlite'),
    ),
  },
};

describe('clearance scan, when it cannot check everything (fail closed)', () => {
  const dir = useTempDir();

  async function layout(
    name: string,
    layers: LayerSpec[],
    corrupt = false,
    diffIds?: string[],
  ): Promise<string> {
    const image = await buildImage({ layers, config: USER, ...(diffIds && { diffIds }) });
    const oci = join(dir(), name);
    await writeOciLayout(oci, { t: image });
    if (corrupt) {
      // The last layer's blob is changed after the fact: its digest no longer verifies.
      const blob = image.layers.at(-1)!.descriptor.digest.replace('sha256:', '');
      const path = join(oci, 'blobs', 'sha256', blob);
      const bytes = readFileSync(path);
      const at = bytes.length - 5;
      bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
      writeFileSync(path, bytes);
    }
    return `oci:${oci}:t`;
  }

  async function scan(reference: string, env: Record<string, string>, ...flags: string[]) {
    const db = join(dir(), 'db');
    await clearance(['db', 'import', '--db', db, EXAMPLES], env);
    return clearance(['scan', '--db', db, '--format', 'json', ...flags, reference], env);
  }

  const cases = {
    'a layer whose diff_id does not verify (the config names other content)': {
      image: () => layout('tampered', [debian], false, [`sha256:${'0'.repeat(64)}`]),
      env: FRESH,
      gap: 'layer-unverified',
    },
    'a layer that cannot be decompressed': {
      image: () =>
        layout('unreadable', [
          debian,
          {
            tar: Buffer.from('not gzip at all'),
            compression: 'none',
            mediaType: MediaType.ociLayerGzip,
          },
        ]),
      env: FRESH,
      gap: 'layer-unreadable',
    },
    'an OS without advisory data (Amazon Linux 2023)': {
      image: () => layout('amazon', [amazon]),
      env: FRESH,
      gap: 'no-advisory-source',
    },
    'vulnerability data older than five days': {
      image: () => layout('stale', [debian]),
      env: STALE,
      gap: 'stale-data',
    },
  } as const;

  describe.each(Object.entries(cases))('with %s', (_, { image, env, gap }) => {
    it('fails --fail-on, naming the gap in one line', async () => {
      const result = await scan(await image(), env, '--fail-on', 'critical');
      expect(result.code).toBe(1);
      expect(result.stderr.split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^clearance: scan incomplete: .*\\[${gap}`)),
        '',
      ]);
      const coverage = result.json<ScanReport>().coverage!;
      expect(coverage.complete).toBe(false);
      expect(coverage.gaps.map((g) => [g.kind, g.acceptedBy])).toContainEqual([gap, null]);
    });

    it('fails the default policy, whose rules alone would pass it', async () => {
      const result = await scan(await image(), env, '--policy', 'default');
      expect(result.code).toBe(1);
      expect(result.json<ScanReport>().verdict).toMatchObject({
        decision: 'fail',
        coverage: 'incomplete',
      });
    });

    it('passes with --allow-incomplete, the gap still reported and marked accepted', async () => {
      const result = await scan(await image(), env, '--fail-on', 'critical', '--allow-incomplete');
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const coverage = result.json<ScanReport>().coverage!;
      expect(coverage.gaps).toContainEqual(
        expect.objectContaining({ kind: gap, acceptedBy: '--allow-incomplete' }),
      );
    });

    it('passes with --allow-gap naming its kind, and not with another kind', async () => {
      const named = await scan(await image(), env, '--fail-on', 'critical', '--allow-gap', gap);
      expect(named.code).toBe(0);
      const other = await scan(
        await image(),
        env,
        '--fail-on',
        'critical',
        '--allow-gap',
        gap === 'stale-data' ? 'file-unparsed' : 'stale-data',
      );
      expect(other.code).toBe(1);
    });
  });

  describe('without a gate', () => {
    it('exits 2 when a layer does not verify, the report still written', async () => {
      const result = await scan(
        await layout('corrupt', [debian, { files: { 'app/x': 'x' } }], true),
        FRESH,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^clearance: scan incomplete: .*\[layer-unverified:sha256:/);
      expect(result.json<ScanReport>().packages.map((p) => p.name)).toEqual(['libc6']);
    });

    it('exits 0 on an OS without advisory data, and says so on stderr and in the table', async () => {
      const reference = await layout('amazon', [amazon]);
      const json = await scan(reference, FRESH);
      expect(json.code).toBe(0);
      expect(json.stderr).toMatch(
        /no Amazon Linux:2023 advisories.*\[no-advisory-source:Amazon Linux:2023\]/,
      );
      const table = await scan(reference, FRESH, '--format', 'table');
      expect(table.stdout).toMatch(/COVERAGE INCOMPLETE: 1 gap not checked and not accepted/);
      expect(table.stdout).toMatch(
        /no Amazon Linux:2023 advisories: 3 packages not checked \[no-advisory-source:Amazon Linux:2023\]/,
      );
    });

    it('is complete, and quiet, when everything was checked', async () => {
      const result = await scan(await layout('clean', [debian]), FRESH);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.json<ScanReport>().coverage).toEqual<Coverage>({
        complete: true,
        gaps: [],
        omitted: 0,
        omittedAcceptedBy: null,
      });
    });
  });

  it('names gaps of ecosystems the data holds nothing for (a Debian image, npm-only data)', async () => {
    const db = join(dir(), 'npm-only');
    await clearance(['db', 'import', '--db', db, join(EXAMPLES, 'DEMO-2026-0003.json')], FRESH);
    const result = await clearance(
      [
        'scan',
        '--db',
        db,
        '--format',
        'json',
        '--fail-on',
        'low',
        await layout('debian', [debian]),
      ],
      FRESH,
    );
    expect(result.code).toBe(1);
    expect(result.json<ScanReport>().coverage!.gaps).toEqual([
      expect.objectContaining({
        kind: 'no-advisory-source',
        subject: 'Debian:12',
        reason: 'the vulnerability data holds no Debian:12 advisories: 1 package not checked',
      }),
    ]);
  });

  it('refuses a --allow-gap that names no kind of gap', async () => {
    const result = await scan(await layout('clean', [debian]), FRESH, '--allow-gap', 'layers');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^clearance: --allow-gap: "layers" names no kind of coverage gap/,
    );
  });

  it('writes gaps into SARIF as tool execution notifications, valid against the schema', async () => {
    const result = await scan(await layout('amazon', [amazon]), FRESH, '--format', 'sarif');
    const sarif = result.json<{
      runs: {
        invocations: {
          toolExecutionNotifications: { level: string; message: { text: string } }[];
        }[];
      }[];
    }>();
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications).toEqual([
      expect.objectContaining({
        level: 'error',
        message: {
          text: expect.stringMatching(/not checked: .*\[no-advisory-source:Amazon Linux:2023\]/),
        },
      }),
    ]);
  });
});
