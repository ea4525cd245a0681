import type { NotificationDocument } from './notification-document';

/*
 * The port notifications leave by. Adapters: shared/aws/sns/ for the cloud, shared/local/ for
 * `clearance pipeline run`.
 */

/**
 * A message for people (e-mail) and for machines, with attributes subscriptions filter on. SNS
 * delivers `body` to e-mail subscribers and `document` (as JSON) to every other protocol.
 */
export interface Notification {
  /** Deterministic: publishing the same notification twice sends it once. */
  readonly id: string;
  readonly topic: 'alerts' | 'operations';
  /** ASCII, under 100 characters. */
  readonly subject: string;
  /** The text people read. */
  readonly body: string;
  /** The JSON form for machines, valid against shared/notify/notification.schema.json. */
  readonly document: NotificationDocument;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface Notifier {
  /** Publishes unless a notification with the same id was published already; true when sent. */
  publish(notification: Notification): Promise<boolean>;
}
