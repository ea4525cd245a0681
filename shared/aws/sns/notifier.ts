import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, type MessageAttributeValue, type SNSClient } from '@aws-sdk/client-sns';
import type { Clock } from '../../core';
import type { Notification, Notifier } from '../../notify';
import { DynamoDbClaims } from '../dynamodb';
import { AwsError, awsRequestError } from '..';

export interface SnsNotifierProps {
  /** Created once at module scope by the handler. */
  readonly sns: SNSClient;
  readonly dynamodb: DynamoDBClient;
  /** `CLEARANCE_IDEMPOTENCY_TABLE`: where each notification id is claimed. */
  readonly idempotencyTable: string;
  /** `CLEARANCE_ALERTS_TOPIC_ARN`. */
  readonly alertsTopicArn: string;
  /** `CLEARANCE_OPERATIONS_TOPIC_ARN`. */
  readonly operationsTopicArn: string;
  /**
   * How long a claim whose publish never finished holds before an attempt publishes again.
   * Longer than one publish can take; shorter than the span of the Step Functions retries
   * (5 + 10 + 20 + 40 s), so that a retry of the notify step finds it stale.
   * @default 60 seconds
   */
  readonly claimTimeoutSeconds?: number;
  /**
   * How long a sent notification's id is remembered (TTL).
   * @default 30 days
   */
  readonly retentionDays?: number;
  /** @default - the system clock */
  readonly now?: Clock;
}

const DEFAULT_CLAIM_TIMEOUT_SECONDS = 60;
const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * SNS: subjects "must be ASCII text that begins with a letter, number, or punctuation mark;
 * must not include line breaks or control characters; and must be less than 100 characters
 * long" (the Publish reference's older text; its newer one says UTF-8, but SNS still rejects or
 * replaces non-ASCII subjects in places, see shared/notify/messages.ts). The messages make
 * ASCII subjects; this is the last guard.
 */
const MAX_SUBJECT = 99;
/** Control characters (C0, DEL, C1): Unicode's category Cc. */
const CONTROL = /\p{Cc}+/gu;
/** Anything but printable ASCII. */
const NOT_ASCII = /[^\x20-\x7e]/g;
/** SNS: a message, every protocol's form together, is at most 256 KiB of UTF-8. */
const MAX_MESSAGE_BYTES = 262_144;

/**
 * The Notifier of the cloud pipeline: publishes each notification once to the alerts or the
 * operations topic. It claims the notification's id in the idempotency table (conditional
 * put), publishes, then marks the claim done with the message id. A repeated id is not
 * published again (false). A publish that fails releases the claim and throws (throttling is
 * transient). An attempt that dies between its claim and its mark leaves a claim that is not
 * done: within `claimTimeoutSeconds` another attempt fails transient (`NOTIFICATION_IN_FLIGHT`,
 * so Step Functions retries it), after that it publishes. The alert is thus never lost; it may
 * be sent twice only when an attempt died after SNS accepted its message and before the mark.
 */
export class SnsNotifier implements Notifier {
  private readonly claims: DynamoDbClaims;

  constructor(private readonly props: SnsNotifierProps) {
    this.claims = new DynamoDbClaims({
      client: props.dynamodb,
      tableName: props.idempotencyTable,
      staleAfterMs: (props.claimTimeoutSeconds ?? DEFAULT_CLAIM_TIMEOUT_SECONDS) * 1000,
      retentionMs: (props.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS,
      now: props.now,
    });
  }

  async publish(notification: Notification): Promise<boolean> {
    const topicArn = this.topicArnOf(notification);
    // Made first: a message SNS would refuse claims nothing.
    const command = publishCommand(topicArn, notification);
    const pk = `NOTIFICATION#${notification.id}`;
    const claim = await this.claims.claim(pk);
    if (claim.state === 'done') return false;
    if (claim.state === 'busy')
      throw new AwsError(
        'NOTIFICATION_IN_FLIGHT',
        `notification ${notification.id} was claimed at ${claim.claimedAt.toISOString()} by an attempt that has not published it yet`,
        'transient',
      );
    let messageId: string | undefined;
    try {
      messageId = (await this.props.sns.send(command)).MessageId;
    } catch (error) {
      // Best effort: a claim left behind goes stale and the next attempt publishes.
      await this.claims.release(pk, claim.token).catch(() => undefined);
      throw awsRequestError('SNS Publish', `topic ${topicArn}`, error);
    }
    // Sent: a failed mark only means a later attempt may publish again after the timeout.
    await this.claims.complete(pk, claim.token, messageId).catch(() => false);
    return true;
  }

  private topicArnOf(notification: Notification): string {
    return notification.topic === 'alerts'
      ? this.props.alertsTopicArn
      : this.props.operationsTopicArn;
  }
}

/**
 * The Publish request: one message per protocol (`MessageStructure: 'json'`), the subject made
 * acceptable to SNS, attributes with values as Strings. A message over SNS's size limit is a
 * bug of the message's maker (`INVALID_REQUEST`), not something a retry mends.
 */
export function publishCommand(topicArn: string, notification: Notification): PublishCommand {
  const subject = subjectOf(notification.subject);
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(notification.attributes))
    // SNS refuses an attribute with an empty value.
    if (value !== '') attributes[name] = { DataType: 'String', StringValue: value };
  const message = JSON.stringify(messagesOf(notification));
  if (Buffer.byteLength(message) > MAX_MESSAGE_BYTES)
    throw new AwsError(
      'INVALID_REQUEST',
      `notification ${notification.id} is ${Buffer.byteLength(message)} bytes; SNS takes at most ${MAX_MESSAGE_BYTES}`,
      'bug',
    );
  return new PublishCommand({
    TopicArn: topicArn,
    MessageStructure: 'json',
    Message: message,
    ...(subject !== '' && { Subject: subject }),
    ...(Object.keys(attributes).length > 0 && { MessageAttributes: attributes }),
  });
}

/**
 * What each protocol gets (Publish's `MessageStructure`,
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html): e-mail the text people read;
 * SMS the subject; every other protocol (`default`: SQS, Lambda, HTTP/S, application, Firehose,
 * email-json) the JSON document, as a string, since SNS takes string values only.
 */
export function messagesOf(notification: Notification): Record<string, string> {
  return {
    default: JSON.stringify(notification.document),
    email: notification.body,
    sms: subjectOf(notification.subject),
  };
}

/**
 * The subject on one line (control characters become spaces), ASCII (anything else becomes
 * `?`), and under 100 characters (cut with `...`): an alert with an over-long repository name
 * is still sent, not refused.
 */
function subjectOf(subject: string): string {
  const line = subject.replace(CONTROL, ' ').replace(NOT_ASCII, '?').trim();
  return line.length <= MAX_SUBJECT ? line : `${line.slice(0, MAX_SUBJECT - 3).trimEnd()}...`;
}
