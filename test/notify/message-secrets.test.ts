import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { messagesOf } from '../../shared/aws/sns/notifier';
import { localImageTarget } from '../../shared/local/image-opener';
import { verdictNotification } from '../../shared/notify/messages';
import type { Notification } from '../../shared/notify/notifier';
import { recordScan } from '../../shared/pipeline/record';
import { golden } from '../support/golden';
import { buildImage, writeOciLayout } from '../support/image-builder';
import {
  MemoryAuditLog,
  MemoryObjectStore,
  MemoryVerdictStore,
  fixedClock,
} from '../support/pipeline-ports';
import {
  UNRELATED_OSV,
  runScanSteps,
  stepWorld,
  storedJson,
  type StepWorld,
} from '../support/scan-steps';
import { useTempDir } from '../support/temp';
import { BASE64, fake } from '../secrets/examples';

/*
 * No secret value leaves the pipeline in a notification: an image with real-shaped secrets is
 * scanned by the very steps of ScanImage, and its message (text, JSON and what SNS is handed
 * per protocol), and every golden message, are searched for the values.
 */

const GOLDEN = join(__dirname, '..', 'fixtures', 'golden');
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** Made at run time, so that no token-shaped string is committed. */
const KEY_ID = `AKIA${fake(16, B32)}`;
const SECRET_KEY = fake(40, BASE64);
const TOKEN = ['ghp', '_', fake(36)].join('');
const SECRETS = [KEY_ID, SECRET_KEY, TOKEN];
/** What a redacted match hides of each (it shows at most the first four characters). */
const HIDDEN = SECRETS.map((value) => value.slice(4));

function leaks(text: string): string[] {
  return HIDDEN.filter((hidden) => text.includes(hidden));
}

describe('verdict notifications of an image with secrets', () => {
  const dir = useTempDir();
  let world: StepWorld;

  beforeEach(async () => {
    world = await stepWorld(dir(), [UNRELATED_OSV]);
  });
  afterEach(() => world.vulnerabilities.close());

  /**
   * The image scanned step by step and recorded, and its notification; the temp dir named
   * `<dir>` and the analyser set `<analyzer-set>` (it changes with every analyser's version).
   */
  async function notified(): Promise<{ notification: Notification; report: string }> {
    await writeOciLayout(join(dir(), 'layout'), {
      '1.0': await buildImage({
        layers: [
          {
            files: {
              'root/.aws/credentials': `[default]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET_KEY}\n`,
              'app/.env': `GITHUB_TOKEN=${TOKEN}\n`,
            },
          },
        ],
      }),
    });
    const image = await localImageTarget(`oci:${join(dir(), 'layout')}:1.0`);
    const { resolved, platforms } = await runScanSteps(image, world);
    const deps = {
      objects: new MemoryObjectStore(),
      verdicts: new MemoryVerdictStore(),
      audit: new MemoryAuditLog(),
      clock: fixedClock(),
    };
    const input = { ...resolved, platforms };
    const record = await recordScan(input, deps);
    const notification = verdictNotification(
      { ...input, record },
      (key) => `s3://clearance-artifacts-123456789012/${key}`,
    );
    const report = JSON.stringify(await storedJson(world.store, platforms[0]!.keys.report));
    return {
      notification: JSON.parse(
        JSON.stringify(notification)
          .replaceAll(dir(), '<dir>')
          .replaceAll(resolved.analyzerSet, '<analyzer-set>'),
      ) as Notification,
      report,
    };
  }

  it('finds them, and says so by count in the subject, the text and the JSON', async () => {
    const { notification } = await notified();
    expect(notification.subject).toMatch(/^\[FAIL\] layout:1\.0 - 3 secrets found/);
    expect(notification.body).toContain('Secrets: 3 found. Their values are never sent');
    expect(notification.document).toMatchObject({ secrets: 3 });
    const readable = { ...notification, body: notification.body.split('\n') };
    expect(readable).toEqual(
      golden(join(GOLDEN, 'notifications', 'verdict-secrets.json'), readable),
    );
  });

  it('carries no secret value in the text, the JSON or what SNS is handed per protocol', async () => {
    const { notification, report } = await notified();
    // The report has the redacted matches (where they are), and not the values either.
    expect(report).toContain(`AKIA${'*'.repeat(16)}`);
    expect(leaks(report)).toEqual([]);
    expect(leaks(notification.subject)).toEqual([]);
    expect(leaks(notification.body)).toEqual([]);
    expect(leaks(JSON.stringify(notification.document))).toEqual([]);
    expect(leaks(JSON.stringify(messagesOf(notification)))).toEqual([]);
  });
});

describe('golden notifications', () => {
  it.each(
    ['notifications', 'fleet'].flatMap((folder) =>
      readdirSync(join(GOLDEN, folder)).map((file) => join(GOLDEN, folder, file)),
    ),
  )('has no secret value in the golden %s', (file) => {
    expect(leaks(readFileSync(file, 'utf8'))).toEqual([]);
  });
});
