import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Notification } from '../../shared/notify/notifier';
import { LocalNotifier } from '../../shared/local/notifier';
import { verdictNotification } from '../../shared/notify/messages';
import { failingFirstScan } from '../support/notified-scans';
import { notificationSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

const NOTIFICATION: Notification = {
  ...verdictNotification(failingFirstScan),
  subject: '[FAIL] payments/api:1.4.2 - 2 critical, secret found',
};

function printed(out: PassThrough): string {
  return (out.read() as Buffer | null)?.toString('utf8') ?? '';
}

describe('LocalNotifier', () => {
  const dir = useTempDir();

  it('prints a short line and appends the whole notification to the outbox', async () => {
    const out = new PassThrough();
    const outbox = join(dir(), 'out', 'outbox.jsonl');
    expect(await new LocalNotifier(out, outbox).publish(NOTIFICATION)).toBe(true);
    expect(printed(out)).toBe(
      'notification to alerts: [FAIL] payments/api:1.4.2 - 2 critical, secret found\n',
    );
    expect(readFileSync(outbox, 'utf8')).toBe(`${JSON.stringify(NOTIFICATION)}\n`);
  });

  it('keeps both forms in the outbox: the text for people and the JSON document for machines', async () => {
    const outbox = join(dir(), 'outbox.jsonl');
    await new LocalNotifier(new PassThrough(), outbox).publish(NOTIFICATION);
    const [line] = readFileSync(outbox, 'utf8').split('\n');
    const written = JSON.parse(line!) as Notification;
    expect(written.body).toBe(NOTIFICATION.body);
    expect(written.document).toEqual(NOTIFICATION.document);
    expect(notificationSchemaErrors(written.document)).toEqual([]);
  });

  describe('when the same id is published again', () => {
    it('sends it once, even from another notifier on the same outbox', async () => {
      const out = new PassThrough();
      const outbox = join(dir(), 'outbox.jsonl');
      const notifier = new LocalNotifier(out, outbox);
      await notifier.publish(NOTIFICATION);
      expect(await notifier.publish(NOTIFICATION)).toBe(false);
      expect(await new LocalNotifier(out, outbox).publish(NOTIFICATION)).toBe(false);
      expect(await notifier.sent()).toEqual([NOTIFICATION]);
      expect(printed(out).split('\n').filter(Boolean)).toHaveLength(1);
    });

    it('sends it once when both are published at the same time', async () => {
      const notifier = new LocalNotifier(new PassThrough(), join(dir(), 'outbox.jsonl'));
      const sent = await Promise.all([
        notifier.publish(NOTIFICATION),
        notifier.publish(NOTIFICATION),
      ]);
      expect(sent.sort()).toEqual([false, true]);
    });
  });

  it('keeps notifications of other ids, in order', async () => {
    const notifier = new LocalNotifier(new PassThrough(), join(dir(), 'outbox.jsonl'));
    const failure = { ...NOTIFICATION, id: 'scan-1:failure', topic: 'operations' as const };
    await notifier.publish(NOTIFICATION);
    await notifier.publish(failure);
    expect((await notifier.sent()).map((n) => n.id)).toEqual(['scan-1:verdict', 'scan-1:failure']);
  });

  it('has sent nothing before its outbox exists', async () => {
    expect(await new LocalNotifier(new PassThrough(), join(dir(), 'none.jsonl')).sent()).toEqual(
      [],
    );
  });
});
