import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SEVERITIES } from '../shared/pipeline';
import type { TeamSubscription } from './config';
import { acknowledge } from './nag';

export interface NotificationsProps {
  /** Encrypts both topics; EventBridge and CloudWatch are admitted to use it. */
  readonly key: kms.IKey;
  /** @default - nobody subscribed to the alerts topic by e-mail */
  readonly alertEmails?: readonly string[];
  /** @default - nobody subscribed to the operations topic by e-mail */
  readonly operationsEmails?: readonly string[];
  /** @default - no per-team subscription */
  readonly teams?: readonly TeamSubscription[];
}

/** The services that publish to the topics besides our functions: rules and alarms. */
const PUBLISHING_SERVICES = ['events.amazonaws.com', 'cloudwatch.amazonaws.com'];

/**
 * Two encrypted topics: `alerts` (verdicts and fleet digests, for application and security
 * teams) and `operations` (pipeline failures and alarms, for the platform team). Both refuse
 * publishing without TLS and admit EventBridge and CloudWatch of this account.
 */
export class Notifications extends Construct {
  readonly alerts: sns.Topic;
  readonly operations: sns.Topic;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.alerts = this.topic('Alerts', 'Clearance alerts', props.key);
    this.operations = this.topic('Operations', 'Clearance operations', props.key);
    admitPublishingServices(props.key);
    for (const email of props.alertEmails ?? []) this.subscribe(this.alerts, email);
    for (const email of props.operationsEmails ?? []) this.subscribe(this.operations, email);
    for (const team of props.teams ?? []) this.subscribe(this.alerts, team.email, filterOf(team));
  }

  private topic(id: string, displayName: string, key: kms.IKey): sns.Topic {
    const topic = new sns.Topic(this, id, { displayName, masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowRulesAndAlarmsOfThisAccount',
        principals: PUBLISHING_SERVICES.map((service) => new iam.ServicePrincipal(service)),
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    return topic;
  }

  private subscribe(
    topic: sns.Topic,
    email: string,
    filterPolicy?: Record<string, sns.SubscriptionFilter>,
  ): void {
    const subscription = new subscriptions.EmailSubscription(email, { filterPolicy });
    acknowledge(
      topic.addSubscription(subscription),
      'Serverless-SNSRedrivePolicy',
      'An e-mail subscription: SNS retries delivery itself, and a dead-letter queue of undelivered e-mail would notify nobody (the operations alarms go to e-mail too).',
    );
  }
}

/**
 * The values the messages give the `maxSeverity` attribute (shared/pipeline/verdict-facts.ts):
 * the highest severity of a finding, lower case, or `none`.
 */
export const MAX_SEVERITY_VALUES: readonly string[] = [...SEVERITIES, 'none'];

/**
 * A team hears of its repositories (`repository` prefixes), at the severities it chose, or of
 * every repository at those severities. Severities are matched as the messages spell them
 * (lower case: SNS compares exactly), so `CRITICAL` in a configuration is `critical`; a value
 * no message carries would silence the subscription, so it fails the synth instead.
 */
export function filterOf(team: TeamSubscription): Record<string, sns.SubscriptionFilter> {
  const prefixes = team.repositoryPrefixes ?? [];
  const severities = team.severities?.map((s) => s.toLowerCase());
  const unknown = severities?.filter((s) => !MAX_SEVERITY_VALUES.includes(s)) ?? [];
  if (unknown.length > 0)
    throw new Error(
      `team subscription ${team.email}: severities must be among ${MAX_SEVERITY_VALUES.join(', ')}; got ${unknown.join(', ')}`,
    );
  if (prefixes.length === 0 && (severities === undefined || severities.length === 0))
    throw new Error(
      `team subscription ${team.email}: give repositoryPrefixes, severities or both (else it is the alertEmails subscription)`,
    );
  return {
    ...(prefixes.length > 0 && {
      repository: sns.SubscriptionFilter.stringFilter({ matchPrefixes: [...prefixes] }),
    }),
    ...(severities !== undefined &&
      severities.length > 0 && {
        maxSeverity: sns.SubscriptionFilter.stringFilter({ allowlist: [...new Set(severities)] }),
      }),
  };
}

/**
 * EventBridge and CloudWatch publish to a KMS-encrypted topic only if the key policy lets them
 * use the key (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
 */
function admitPublishingServices(key: kms.IKey): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowRulesAndAlarmsToPublishToEncryptedTopics',
      principals: PUBLISHING_SERVICES.map((service) => new iam.ServicePrincipal(service)),
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      // In a key policy, `*` is this key.
      resources: ['*'],
    }),
  );
}
