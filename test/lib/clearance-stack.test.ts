import { Match, type Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_NAMES } from '../../lib/function-specs';
import { FUNCTION_ENVIRONMENT } from '../../shared/handlers/environment';
import {
  ENVIRONMENT_VARIABLES,
  type VariableKey,
} from '../../shared/handlers/environment-variables';
import { FULL_CONFIG, handlers, synthesize } from './synth';

type Json = Record<string, unknown>;

const defaults = synthesize();
const full = synthesize(FULL_CONFIG);

describe('ClearanceStack', () => {
  describe('storage', () => {
    const template = defaults.template;

    it('has one customer-managed key, rotated', () => {
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    it('lets CloudWatch Logs, EventBridge and CloudWatch use the key', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'AllowCloudWatchLogs',
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
            }),
            Match.objectLike({
              Sid: 'AllowRulesAndAlarmsToPublishToEncryptedTopics',
              Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      });
    });

    it('encrypts the artifacts bucket with the key, versions it, blocks public access and logs access', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StorageKey'), 'Arn'] },
              },
            },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: Match.stringLikeRegexp('^StorageAccessLogs') },
        },
      });
    });

    it('expires layer reports, scans and fleet runs by prefix', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              Id: 'layer-reports',
              Prefix: 'layer-reports/',
              ExpirationInDays: 90,
            }),
            Match.objectLike({ Id: 'scans', Prefix: 'scans/', ExpirationInDays: 400 }),
            Match.objectLike({ Id: 'fleet', Prefix: 'fleet/', ExpirationInDays: 400 }),
          ]),
        },
      });
    });

    it('refuses requests without TLS on every bucket', () => {
      const policies = template.findResources('AWS::S3::BucketPolicy');
      expect(Object.keys(policies)).toHaveLength(3);
      for (const policy of Object.values(policies))
        expect(statementsOf(policy)).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
    });

    it('keeps four tables with PITR, deletion protection and the key', () => {
      const tables = template.findResources('AWS::DynamoDB::Table');
      expect(Object.keys(tables)).toHaveLength(4);
      for (const table of Object.values(tables))
        expect(propertiesOf(table)).toMatchObject({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
          BillingMode: 'PAY_PER_REQUEST',
        });
    });

    it('keys each table as its adapter declares it (indexes and TTL included)', () => {
      const tables = Object.entries(template.findResources('AWS::DynamoDB::Table'));
      const table = (prefix: string) =>
        propertiesOf(tables.find(([id]) => id.startsWith(prefix))?.[1]);
      const pkSk = [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ];
      expect(table('StorageVulnerabilities').KeySchema).toEqual(pkSk);
      expect(table('StorageImages')).toMatchObject({
        KeySchema: pkSk,
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      });
      expect(table('StorageAudit')).toMatchObject({
        KeySchema: pkSk,
        GlobalSecondaryIndexes: ['byDay', 'byDigest', 'byRepository'].map((IndexName): unknown =>
          expect.objectContaining({ IndexName }),
        ),
      });
      expect(table('StorageIdempotency')).toMatchObject({
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      });
    });
  });

  describe('notifications', () => {
    it('encrypts both topics with the key', () => {
      const topics = defaults.template.findResources('AWS::SNS::Topic');
      expect(Object.keys(topics)).toHaveLength(2);
      for (const topic of Object.values(topics))
        expect(propertiesOf(topic).KmsMasterKeyId).toEqual({
          'Fn::GetAtt': [expect.stringMatching(/^StorageKey/), 'Arn'],
        });
    });

    it('admits EventBridge and CloudWatch of this account and denies publishing without TLS', () => {
      const policies = defaults.template.findResources('AWS::SNS::TopicPolicy');
      expect(Object.keys(policies)).toHaveLength(2);
      for (const policy of Object.values(policies)) {
        const statements = statementsOf(policy);
        expect(statements).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
        expect(statements).toContainEqual(
          expect.objectContaining({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        );
      }
    });

    it('subscribes the configured e-mail addresses, teams with a filter policy', () => {
      full.template.resourceCountIs('AWS::SNS::Subscription', 3);
      full.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'team-a@example.com',
        FilterPolicy: {
          repository: [{ prefix: 'team-a/' }],
          // As the messages spell it (SNS compares exactly): FULL_CONFIG says CRITICAL.
          maxSeverity: ['critical'],
        },
      });
    });

    it('subscribes nobody by default', () => {
      defaults.template.resourceCountIs('AWS::SNS::Subscription', 0);
    });
  });

  describe('functions', () => {
    it('makes every function but promote without a promotion target, each with its handler metadata', () => {
      expect([...handlers(defaults.template).values()].sort()).toEqual(
        FUNCTION_NAMES.filter((name) => name !== 'promote' && name !== 'publish-findings').sort(),
      );
      expect([...handlers(full.template).values()].sort()).toEqual([...FUNCTION_NAMES].sort());
    });

    it('runs each on ARM64 and Node 24, traced, logging JSON to its own encrypted log group', () => {
      for (const fn of Object.values(full.template.findResources('AWS::Lambda::Function')))
        expect(propertiesOf(fn)).toMatchObject({
          Architectures: ['arm64'],
          Runtime: 'nodejs24.x',
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(/Logs/) } },
          Environment: {
            Variables: expect.objectContaining({
              POWERTOOLS_METRICS_NAMESPACE: 'Clearance',
              POWERTOOLS_SERVICE_NAME: expect.any(String),
            }),
          },
        });
    });

    it('names the Powertools service after the folder', () => {
      for (const fn of Object.values(full.template.findResources('AWS::Lambda::Function')))
        expect(environmentOf(fn).POWERTOOLS_SERVICE_NAME).toBe(
          (fn as { Metadata: Json }).Metadata['clearance:handler'],
        );
    });

    it('gives AnalyzeLayer more memory and the longest timeout, and applies configured sizes', () => {
      expect(propertiesOf(functionNamed(defaults.template, 'analyze-layer'))).toMatchObject({
        MemorySize: 2048,
        Timeout: 900,
      });
      expect(propertiesOf(functionNamed(full.template, 'analyze-layer'))).toMatchObject({
        MemorySize: 3008,
        ReservedConcurrentExecutions: 20,
      });
    });

    it('encrypts and expires every log group', () => {
      for (const group of Object.values(defaults.template.findResources('AWS::Logs::LogGroup')))
        expect(propertiesOf(group)).toMatchObject({
          KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^StorageKey/), 'Arn'] },
          RetentionInDays: 365,
        });
    });

    it.each([
      [
        'start-scan',
        [
          'CLEARANCE_AUDIT_TABLE',
          'CLEARANCE_EVENT_BUS',
          'CLEARANCE_IDEMPOTENCY_TABLE',
          'CLEARANCE_IMAGES_TABLE',
          'CLEARANCE_INDEX_WAIT_SECONDS',
          'CLEARANCE_REPOSITORIES',
          'CLEARANCE_SCAN_STATE_MACHINE_ARN',
          'CLEARANCE_TRIGGER_WINDOW_SECONDS',
        ],
      ],
      ['resolve', ['CLEARANCE_AUDIT_TABLE', 'CLEARANCE_BUCKET', 'CLEARANCE_IMAGES_TABLE']],
      ['analyze-layer', ['CLEARANCE_BUCKET']],
      ['match', ['CLEARANCE_BUCKET', 'CLEARANCE_VULNERABILITY_TABLE']],
      [
        'evaluate',
        [
          'CLEARANCE_ACCEPT_GAPS',
          'CLEARANCE_BUCKET',
          'CLEARANCE_MAX_DATA_AGE_HOURS',
          'CLEARANCE_POLICY',
          'CLEARANCE_SIGNATURE_KEYS',
        ],
      ],
      ['record', ['CLEARANCE_AUDIT_TABLE', 'CLEARANCE_BUCKET', 'CLEARANCE_IMAGES_TABLE']],
      [
        'promote',
        [
          'CLEARANCE_AUDIT_TABLE',
          'CLEARANCE_IMAGES_TABLE',
          'CLEARANCE_PROMOTION_REPOSITORY',
          'CLEARANCE_PROMOTION_TAG',
          'CLEARANCE_TRIGGER_WINDOW_SECONDS',
        ],
      ],
      [
        'quarantine',
        [
          'CLEARANCE_AUDIT_TABLE',
          'CLEARANCE_IMAGES_TABLE',
          'CLEARANCE_QUARANTINE',
          'CLEARANCE_TRIGGER_WINDOW_SECONDS',
        ],
      ],
      [
        'notify',
        [
          'CLEARANCE_ALERTS_TOPIC_ARN',
          'CLEARANCE_BUCKET',
          'CLEARANCE_EVENT_BUS',
          'CLEARANCE_IDEMPOTENCY_TABLE',
          'CLEARANCE_OPERATIONS_TOPIC_ARN',
        ],
      ],
      ['record-failure', ['CLEARANCE_AUDIT_TABLE']],
      [
        'fleet-enumerate',
        ['CLEARANCE_BUCKET', 'CLEARANCE_PROMOTION_REPOSITORY', 'CLEARANCE_REPOSITORIES'],
      ],
      [
        'fleet-scan-item',
        [
          'CLEARANCE_ACCEPT_GAPS',
          'CLEARANCE_AUDIT_TABLE',
          'CLEARANCE_BUCKET',
          'CLEARANCE_EVENT_BUS',
          'CLEARANCE_IDEMPOTENCY_TABLE',
          'CLEARANCE_IMAGES_TABLE',
          'CLEARANCE_MAX_DATA_AGE_HOURS',
          'CLEARANCE_POLICY',
          'CLEARANCE_SECURITY_HUB_PRODUCT_ARN',
          'CLEARANCE_SIGNATURE_KEYS',
          'CLEARANCE_VULNERABILITY_TABLE',
        ],
      ],
      [
        'fleet-summarize',
        [
          'CLEARANCE_ALERTS_TOPIC_ARN',
          'CLEARANCE_AUDIT_TABLE',
          'CLEARANCE_BUCKET',
          'CLEARANCE_IDEMPOTENCY_TABLE',
          'CLEARANCE_SECRET_HYGIENE',
        ],
      ],
      [
        'sync-vulnerability-data',
        [
          'CLEARANCE_ALAS_BASE_URL',
          'CLEARANCE_AUDIT_TABLE',
          'CLEARANCE_ECOSYSTEMS',
          'CLEARANCE_EPSS_URL',
          'CLEARANCE_KEV_URL',
          'CLEARANCE_VULNERABILITY_TABLE',
        ],
      ],
      ['rotate-secret', ['CLEARANCE_AUDIT_TABLE', 'CLEARANCE_BUCKET']],
    ])('gives %s only the variables it needs', (name, variables) => {
      const own = Object.keys(environmentOf(functionNamed(full.template, name)))
        .filter((variable) => variable.startsWith('CLEARANCE_'))
        .sort();
      expect(own).toEqual(variables);
    });

    it.each(FUNCTION_NAMES)('gives %s every variable its entry requires', (name) => {
      const required = Object.entries(FUNCTION_ENVIRONMENT[name])
        .filter(([, requirement]) => requirement === 'required')
        .map(([key]) => ENVIRONMENT_VARIABLES[key as VariableKey].name);
      expect(Object.keys(environmentOf(functionNamed(full.template, name)))).toEqual(
        expect.arrayContaining(required),
      );
    });

    it('passes the configured values', () => {
      expect(environmentOf(functionNamed(full.template, 'promote'))).toMatchObject({
        CLEARANCE_PROMOTION_REPOSITORY: 'release',
        CLEARANCE_PROMOTION_TAG: '{tag}-cleared',
      });
      expect(environmentOf(functionNamed(full.template, 'evaluate'))).toMatchObject({
        CLEARANCE_POLICY: 's3://policies-bucket/clearance/policy.yaml',
      });
      expect(environmentOf(functionNamed(full.template, 'sync-vulnerability-data'))).toMatchObject({
        CLEARANCE_ECOSYSTEMS: 'Debian,npm,Amazon Linux:2023',
        CLEARANCE_ALAS_BASE_URL: 'https://alas-mirror.example.com',
      });
      expect(
        environmentOf(functionNamed(full.template, 'sync-vulnerability-data')),
      ).not.toHaveProperty('CLEARANCE_OSV_BASE_URL');
      expect(
        environmentOf(functionNamed(defaults.template, 'sync-vulnerability-data')),
      ).not.toHaveProperty('CLEARANCE_ALAS_BASE_URL');
      expect(environmentOf(functionNamed(full.template, 'start-scan'))).toMatchObject({
        CLEARANCE_REPOSITORIES: 'team-a/*,base,svc-??',
        CLEARANCE_TRIGGER_WINDOW_SECONDS: '3600',
        CLEARANCE_INDEX_WAIT_SECONDS: '60',
      });
      for (const name of ['evaluate', 'fleet-scan-item'])
        expect(environmentOf(functionNamed(full.template, name))).toMatchObject({
          CLEARANCE_MAX_DATA_AGE_HOURS: '120',
          CLEARANCE_ACCEPT_GAPS: '["no-advisory-source:amzn *"]',
        });
      expect(environmentOf(functionNamed(defaults.template, 'evaluate'))).not.toHaveProperty(
        'CLEARANCE_ACCEPT_GAPS',
      );
      expect(environmentOf(functionNamed(defaults.template, 'evaluate')).CLEARANCE_POLICY).toBe(
        'default',
      );
    });
  });

  describe('permissions', () => {
    it('grants `*` resources only for actions that have no resource-level permissions', () => {
      const unscopable =
        /^(xray:|logs:(Create|Get|Update|Delete|List)LogDelivery|logs:ListLogDeliveries|logs:PutResourcePolicy|logs:DescribeResourcePolicies|logs:DescribeLogGroups$|ecr:GetAuthorizationToken$|secretsmanager:GetRandomPassword$|secretsmanager:ListSecrets$|ecs:(ListClusters|ListServices|ListTasks|DescribeTaskDefinition)$|ecr:(DescribeRegistry|DescribePullThroughCacheRules)$)/;
      for (const template of [defaults.template, full.template])
        for (const policy of Object.values(template.findResources('AWS::IAM::Policy')))
          for (const statement of statementsOf(policy))
            if (statement.Resource === '*')
              for (const action of [statement.Action].flat() as string[])
                expect(action).toMatch(unscopable);
    });

    it('lets no function update or delete an audit event: writers put, get and query', () => {
      const actions = new Set<string>();
      for (const [id, policy] of Object.entries(full.template.findResources('AWS::IAM::Policy')))
        for (const statement of statementsOf(policy))
          if (JSON.stringify(statement.Resource).includes('StorageAudit')) {
            expect([id, statement.Resource]).toEqual([
              id,
              { 'Fn::GetAtt': [expect.stringMatching(/^StorageAudit/), 'Arn'] },
            ]);
            [statement.Action].flat().forEach((action) => actions.add(String(action)));
          }
      expect([...actions].sort()).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
      ]);
      const anchor = roleStatements(full.template, 'AuditAnchor').filter((s) =>
        JSON.stringify(s.Resource).includes('StorageAudit'),
      );
      expect(anchor.map((s) => s.Action)).toEqual([['dynamodb:GetItem', 'dynamodb:Query']]);
    });

    it('lets start-scan start ScanImage and nothing else', () => {
      const statements = roleStatements(full.template, 'StartScan');
      const starts = statements.filter((s) => [s.Action].flat().includes('states:StartExecution'));
      expect(starts).toEqual([
        expect.objectContaining({
          Resource: { Ref: expect.stringMatching(/^ScanImageStateMachine/) },
        }),
      ]);
    });

    it('lets promote put images in the release repository only', () => {
      const puts = roleStatements(full.template, 'Promote').filter((s) =>
        [s.Action].flat().includes('ecr:PutImage'),
      );
      expect(JSON.stringify(puts.map((s) => s.Resource))).toMatch(/:repository\/release"/);
      expect(puts).toHaveLength(1);
    });

    it('lets promote copy blobs from the watched repositories to the release repository, without a registry token', () => {
      const statements = roleStatements(full.template, 'Promote');
      const resourcesOf = (action: string) =>
        JSON.stringify(
          statements.filter((s) => [s.Action].flat().includes(action)).map((s) => s.Resource),
        );
      for (const action of [
        'ecr:BatchCheckLayerAvailability',
        'ecr:InitiateLayerUpload',
        'ecr:UploadLayerPart',
        'ecr:CompleteLayerUpload',
      ])
        expect([action, resourcesOf(action)]).toEqual([action, resourcesOf('ecr:PutImage')]);
      for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'])
        expect([action, resourcesOf(action)]).toEqual([
          action,
          expect.stringMatching(/:repository\/team-a\/\*"/),
        ]);
      expect(resourcesOf('ecr:GetAuthorizationToken')).toBe('[]');
    });

    it('lets quarantine in tag mode read and put manifests in the watched repositories, without a registry token', () => {
      const actions = roleStatements(full.template, 'Quarantine').flatMap((s) => [s.Action].flat());
      expect(actions).toEqual(expect.arrayContaining(['ecr:BatchGetImage', 'ecr:PutImage']));
      expect(actions).not.toContain('ecr:GetAuthorizationToken');
      expect(actions).not.toContain('ecr:GetDownloadUrlForLayer');
    });

    it('lets fleet-enumerate describe repositories and images, and pull no layer', () => {
      const actions = roleStatements(full.template, 'FleetEnumerate').flatMap((s) =>
        [s.Action].flat(),
      );
      expect(actions).toEqual(
        expect.arrayContaining(['ecr:DescribeRepositories', 'ecr:DescribeImages']),
      );
      expect(actions).not.toContain('ecr:GetDownloadUrlForLayer');
    });

    it('lets fleet-enumerate read manifests (multi-arch indexes) of the watched repositories only', () => {
      const statements = roleStatements(full.template, 'FleetEnumerate');
      const resourcesOf = (action: string) =>
        statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => s.Resource);
      const reads = JSON.stringify(resourcesOf('ecr:BatchGetImage'));
      for (const watched of ['team-a/*', 'base', 'svc-??'])
        expect(reads).toContain(`:repository/${watched}"`);
      expect(reads).not.toContain(':repository/*"');
      expect(resourcesOf('ecr:BatchGetImage')).toEqual(resourcesOf('ecr:DescribeImages'));
    });

    it('lets fleet-scan-item read scans/ and write no object', () => {
      const statements = roleStatements(full.template, 'FleetScanItem');
      const actions = statements.flatMap((s) => [s.Action].flat());
      expect(actions).not.toContain('s3:PutObject');
      const gets = statements.filter((s) => [s.Action].flat().includes('s3:GetObject'));
      const artifacts = JSON.stringify(gets.flatMap((s) => s.Resource)).match(
        /StorageArtifacts[^"]*","Arn"\]},"[^"]*"/g,
      );
      expect(artifacts).toEqual([expect.stringMatching(/"\/scans\/\*"$/)]);
    });

    it('gives analyze-layer objects under layer-reports/ only, and no table', () => {
      const statements = roleStatements(full.template, 'AnalyzeLayer');
      const objects = statements.filter((s) => /^s3:(Get|Put)Object$/.test(String(s.Action)));
      expect(JSON.stringify(objects.map((s) => s.Resource))).not.toMatch(/scans|fleet/);
      expect(JSON.stringify(statements)).not.toMatch(/dynamodb:/);
    });

    it('lets only notify, fleet-summarize and deployment-watch publish to a topic', () => {
      const publishers = Object.entries(full.template.findResources('AWS::IAM::Policy'))
        .filter(([, policy]) => statementsOf(policy).some((s) => s.Action === 'sns:Publish'))
        .map(([id]) => id.replace(/^Functions/, '').replace(/Role.*$/, ''));
      expect(publishers.sort()).toEqual(['DeploymentWatch', 'FleetSummarize', 'Notify']);
    });
  });

  describe('triggers', () => {
    it('sends successful ECR pushes to start-scan, with a retry policy and a dead-letter queue', () => {
      defaults.template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.ecr'],
          'detail-type': ['ECR Image Action'],
          detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] },
        },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FunctionsStartScan'), 'Arn'] },
            RetryPolicy: { MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 },
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetters'), 'Arn'] },
            },
          }),
        ],
      });
    });

    it("sends start-scan's own failed invocations to the dead-letter queue", () => {
      expect(propertiesOf(functionNamed(defaults.template, 'start-scan')).DeadLetterConfig).toEqual(
        {
          TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetters/), 'Arn'] },
        },
      );
    });

    it('narrows the rule to the watched repositories', () => {
      full.template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          detail: {
            'repository-name': [{ wildcard: 'team-a/*' }, 'base', { wildcard: 'svc-**' }],
          },
        },
      });
    });

    it('encrypts the dead-letter queue with the key and refuses it without TLS', () => {
      defaults.template.hasResourceProperties('AWS::SQS::Queue', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StorageKey'), 'Arn'] },
      });
      defaults.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('schedules the fleet nightly, the sync every few hours and the audit anchor hourly, with the dead-letter queue', () => {
      const schedules = Object.values(defaults.template.findResources('AWS::Scheduler::Schedule'));
      expect(schedules.map((s) => propertiesOf(s).ScheduleExpression).sort()).toEqual([
        'cron(0 3 * * ? *)',
        'rate(1 hour)',
        'rate(4 hours)',
      ]);
      for (const schedule of schedules)
        expect(propertiesOf(schedule).Target).toMatchObject({
          Arn: expect.objectContaining({}),
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [expect.stringMatching(/^DeadLetters/), 'Arn'] },
          },
          RetryPolicy: { MaximumRetryAttempts: 8 },
        });
    });
  });

  describe('monitoring', () => {
    const alarms = () => Object.values(defaults.template.findResources('AWS::CloudWatch::Alarm'));

    it('alarms on failed executions of each state machine, dead letters, stale data and each function', () => {
      const metrics = alarms().map(
        (a) => `${String(propertiesOf(a).Namespace)}/${String(propertiesOf(a).MetricName)}`,
      );
      expect(metrics.filter((m) => m === 'AWS/States/ExecutionsFailed')).toHaveLength(3);
      expect(metrics).toContain('AWS/SQS/ApproximateNumberOfMessagesVisible');
      expect(metrics).toContain('Clearance/VulnerabilityDataAgeHours');
      // Every function but promote and publish-findings (no promotion target, no Security Hub by default).
      expect(metrics.filter((m) => m === 'AWS/Lambda/Errors')).toHaveLength(
        FUNCTION_NAMES.length - 2,
      );
    });

    it('sends every alarm to the operations topic', () => {
      for (const alarm of alarms())
        expect(propertiesOf(alarm).AlarmActions).toEqual([
          { Ref: expect.stringMatching(/^NotificationsOperations/) },
        ]);
    });

    it('counts missing data-age points as stale, over one sync interval and an hour', () => {
      defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'VulnerabilityDataAgeHours',
        Dimensions: [{ Name: 'service', Value: 'sync-vulnerability-data' }],
        Threshold: 24,
        TreatMissingData: 'breaching',
        // The default schedule, rate(4 hours), and the grace hour: 5 hours.
        Period: 5 * 3600,
        EvaluationPeriods: 1,
        Statistic: 'Minimum',
      });
    });

    it.each([
      ['every 6 hours by cron', 'cron(0 0/6 * * ? *)', 7 * 3600],
      ['once, of no interval: over the age threshold', 'at(2027-01-01T00:00:00)', 25 * 3600],
    ])('follows a sync schedule %s', (_name, syncSchedule, period) => {
      synthesize({ syncSchedule }).template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'VulnerabilityDataAgeHours',
        Period: period,
        TreatMissingData: 'breaching',
      });
    });

    it('fails when the sync runs too seldom for an alarm to watch', () => {
      expect(() => synthesize({ syncSchedule: 'rate(7 days)' })).toThrow(
        /the stale-data alarm can watch at most 7 days/,
      );
    });

    it('has a dashboard', () => {
      defaults.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });
});

function propertiesOf(resource: unknown): Json {
  return (resource as { Properties: Json }).Properties;
}

function statementsOf(policy: unknown): Json[] {
  return (propertiesOf(policy).PolicyDocument as { Statement: Json[] }).Statement;
}

function environmentOf(fn: unknown): Record<string, unknown> {
  return (propertiesOf(fn).Environment as { Variables: Record<string, unknown> }).Variables;
}

function functionNamed(template: Template, name: string): unknown {
  const functions = template.findResources('AWS::Lambda::Function');
  const found = Object.values(functions).find(
    (fn) => (fn as { Metadata?: Json }).Metadata?.['clearance:handler'] === name,
  );
  if (found === undefined) throw new Error(`no function ${name}`);
  return found;
}

/** The statements of the role default policy of the function whose logical id has `pascal`. */
function roleStatements(template: Template, pascal: string): Json[] {
  const policies = template.findResources('AWS::IAM::Policy');
  const id = Object.keys(policies).find((key) => key.startsWith(`Functions${pascal}Role`));
  if (id === undefined) throw new Error(`no role policy for ${pascal}`);
  return statementsOf(policies[id]);
}
