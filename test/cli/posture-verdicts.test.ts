import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DynamoDbVerdictStore,
  IMAGES_TABLE_ATTRIBUTES,
  IMAGES_TABLE_KEY_SCHEMA,
} from '../../shared/aws/dynamodb';
import { LOCAL_LAYOUT, LOCAL_TABLES, startLocalDynamoDb } from '../../shared/local';
import { DirectoryObjectStore } from '../../shared/objects';
import type { PostureReport } from '../../shared/posture';
import { clearance } from '../support/cli';

const DIGEST = `sha256:${'5'.repeat(64)}`;
const ENV = { SOURCE_DATE_EPOCH: '1796990400' };

/** A local pipeline state, as `clearance pipeline run oci:app:1.0` leaves it, with one verdict. */
async function stateWith(decision: 'pass' | 'fail', userCheck: 'pass' | 'fail'): Promise<string> {
  const state = mkdtempSync(join(tmpdir(), 'posture-state-'));
  const dynamodb = await startLocalDynamoDb(join(state, LOCAL_LAYOUT.dynamodb), [
    {
      name: LOCAL_TABLES.images,
      keySchema: IMAGES_TABLE_KEY_SCHEMA,
      attributes: IMAGES_TABLE_ATTRIBUTES,
    },
  ]);
  const reportKey = 'scans/5555/linux-amd64/report.json';
  try {
    await new DynamoDbVerdictStore({
      client: dynamodb.client,
      tableName: LOCAL_TABLES.images,
    }).record(
      { registry: 'oci:app', repository: 'app', digest: DIGEST, tag: '1.0' },
      {
        digest: DIGEST,
        decision,
        scanId: 'scan-1',
        recordedAt: '2026-12-06T10:00:00.000Z',
        severeFindings: [],
        policyDigest: `sha256:${'0'.repeat(64)}`,
        dataVersion: 'v1',
        analyzerSet: 'a1',
        platforms: [{ platform: 'linux/amd64', manifestDigest: DIGEST, reportKey }],
      },
    );
  } finally {
    await dynamodb.close();
  }
  await new DirectoryObjectStore(join(state, LOCAL_LAYOUT.objects)).put(
    reportKey,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 1,
        image: { reference: 'oci:app:1.0', digest: DIGEST },
        packages: [],
        checks: [
          { id: 'user-root', status: userCheck },
          { id: 'healthcheck-missing', status: 'pass' },
        ],
      }),
    ),
  );
  return state;
}

function pod(image: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'posture-'));
  const file = join(dir, 'pod.yaml');
  writeFileSync(
    file,
    `apiVersion: v1\nkind: Pod\nmetadata: { name: app }\nspec:\n  containers: [{ name: app, image: "${image}" }]\n`,
  );
  return file;
}

describe('clearance posture --verdicts (the local pipeline state)', () => {
  it('takes the verdict by tag and the image’s USER from its stored report', async () => {
    const state = await stateWith('fail', 'pass');
    const run = await clearance(
      ['posture', '--format', 'json', '--verdicts', state, pod('app:1.0')],
      ENV,
    );
    const checks = run.json<PostureReport>().workloads[0]!.checks;
    expect(checks.find((c) => c.id === 'image-verdict')).toMatchObject({ status: 'fail' });
    expect(checks.find((c) => c.id === 'run-as-non-root')).toMatchObject({ status: 'pass' });
  });

  it('takes the verdict by digest, and a digest nobody scanned is unknown', async () => {
    const state = await stateWith('pass', 'fail');
    const known = await clearance(
      ['posture', '--format', 'json', '--verdicts', state, pod(`registry.example/app@${DIGEST}`)],
      ENV,
    );
    const checks = known.json<PostureReport>().workloads[0]!.checks;
    expect(checks.find((c) => c.id === 'image-verdict')).toMatchObject({ status: 'pass' });
    expect(checks.find((c) => c.id === 'run-as-non-root')).toMatchObject({ status: 'fail' });
    const unknown = await clearance(
      [
        'posture',
        '--format',
        'json',
        '--verdicts',
        state,
        pod(`registry.example/app@sha256:${'6'.repeat(64)}`),
      ],
      ENV,
    );
    expect(unknown.json<PostureReport>().workloads[0]!.containers[0]!.verdict).toMatchObject({
      verdict: 'unknown',
    });
  });

  it('refuses a directory with no pipeline state, and two verdict sources at once', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'posture-'));
    const none = await clearance(['posture', '--verdicts', empty, pod('app:1.0')], ENV);
    expect({ code: none.code, stderr: none.stderr }).toEqual({
      code: 2,
      stderr: `clearance: --verdicts ${empty}: no local pipeline state there (run "clearance pipeline run" first)\n`,
    });
    const both = await clearance(
      ['posture', '--verdicts', empty, '--image-report', 'x.json', pod('app:1.0')],
      ENV,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give one verdict source/);
  });
});
