import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AuditAnchors } from './audit-anchors';
import { resolveConfig, type ClearanceConfig, type ResolvedConfig } from './config';
import { DeploymentWatch } from './deployment-watch';
import { FleetScan } from './fleet-scan';
import { environmentValues } from './function-environment';
import { meetNeeds, type FunctionResources } from './function-grants';
import { FUNCTION_SPECS, type FunctionName } from './function-specs';
import { Monitoring, pascal } from './monitoring';
import { Notifications } from './notifications';
import { PipelineFunction, projectRoot } from './pipeline-function';
import { policyLocation } from './policy-source';
import { scheduleInterval } from './schedule-interval';
import { ScanImage } from './scan-image';
import { featureFlags } from './cdk-json';
import { Storage } from './storage';
import { SyncVulnerabilityData } from './sync-vulnerability-data';
import { DeadLetters, Triggers } from './triggers';
import { VerdictSigning } from './verdict-signing';

export interface ClearanceStackProps extends StackProps {
  /** @default - every default of `ClearanceConfig` (watch every repository, bundled policy, …) */
  readonly config?: ClearanceConfig;
  /**
   * The directory holding `functions/`, `package-lock.json` and `cdk.json`.
   * @default - the nearest directory above lib/ holding `cdk.json`
   */
  readonly projectRoot?: string;
}

/**
 * Clearance on AWS: every ECR push scanned by ScanImage, the fleet re-checked nightly by
 * FleetScan, the vulnerability data kept fresh by SyncVulnerabilityData; encrypted storage,
 * notifications, alarms and a dashboard. The stack wires constructs; each owns its defaults.
 */
export class ClearanceStack extends Stack {
  readonly config: ResolvedConfig;
  readonly storage: Storage;
  readonly notifications: Notifications;
  readonly functions: Partial<Record<FunctionName, PipelineFunction>> = {};
  readonly scanImage: ScanImage;
  readonly fleetScan: FleetScan;
  readonly sync: SyncVulnerabilityData;
  readonly triggers: Triggers;
  readonly monitoring: Monitoring;
  /** The verdict signing key's secret and its rotation. */
  readonly verdictSigning: VerdictSigning;
  /** The Object Lock bucket the audit chain's head is anchored in, and its schedule. */
  readonly auditAnchors: AuditAnchors;
  /** ECS task starts → `image.deployed`, alerts, and the optional runtime gate. */
  readonly deploymentWatch: DeploymentWatch;

  private readonly root: string;
  private readonly resources: FunctionResources;
  private readonly container: Construct;

  constructor(scope: Construct, id: string, props: ClearanceStackProps = {}) {
    super(scope, id, props);
    const config = (this.config = resolveConfig(props.config));
    this.root = props.projectRoot ?? projectRoot();
    // The feature flags the stack is built and tested with (cdk.json's), on its own constructs:
    // composed into a team's app whose flags differ, it synthesizes as it does here.
    for (const [flag, value] of Object.entries(featureFlags(this.root)))
      this.node.setContext(flag, value);
    this.storage = new Storage(this, 'Storage', {
      scanRetentionDays: config.scanRetentionDays,
      layerReportRetentionDays: config.layerReportRetentionDays,
      accessLogRetentionDays: config.logRetentionDays,
    });
    this.notifications = new Notifications(this, 'Notifications', {
      key: this.storage.key,
      alertEmails: config.alertEmails,
      operationsEmails: config.operationsEmails,
      teams: config.teamSubscriptions,
    });
    const deadLetters = new DeadLetters(this, 'DeadLetters', { key: this.storage.key });
    this.auditAnchors = new AuditAnchors(this, 'AuditAnchors', {
      key: this.storage.key,
      accessLogs: this.storage.accessLogs,
      retentionDays: config.auditAnchorRetentionDays,
      mode: config.auditAnchorLockMode,
    });
    this.resources = {
      anchors: this.auditAnchors.bucket,
      storage: this.storage,
      alerts: this.notifications.alerts,
      operations: this.notifications.operations,
      config,
      policy: policyLocation(this, config.policy, this.root),
    };
    this.container = new Construct(this, 'Functions');
    this.verdictSigning = new VerdictSigning(this, 'VerdictSigning', {
      key: this.storage.key,
      rotationFunction: this.pipelineFunction('rotate-secret', this.resources),
      rotationDays: config.signingKeyRotationDays,
    });
    this.scanImage = this.scanImageWorkflow(deadLetters);
    this.fleetScan = this.fleetScanWorkflow();
    this.sync = new SyncVulnerabilityData(this, 'SyncVulnerabilityData', {
      sync: this.fn('sync-vulnerability-data'),
      ...this.workflowLogs(),
    });
    this.triggers = this.triggersOf(deadLetters);
    this.auditAnchors.schedule({
      anchor: this.fn('audit-anchor'),
      schedule: config.auditAnchorSchedule,
      deadLetterQueue: deadLetters.queue,
    });
    this.deploymentWatch = this.deploymentWatchRule(deadLetters);
    this.monitoring = this.monitor(deadLetters);
    this.outputs();
  }

  /** Push, schedules, and with `securityHub` on the ECR DELETE rule (publish-findings). */
  private triggersOf(deadLetters: DeadLetters): Triggers {
    const config = this.config;
    return new Triggers(this, 'Triggers', {
      repositories: config.repositories,
      startScan: this.fn('start-scan', deadLetters, this.scanImage.stateMachine),
      fleetScan: this.fleetScan.stateMachine,
      sync: this.sync.stateMachine,
      fleetSchedule: config.fleetSchedule,
      syncSchedule: config.syncSchedule,
      deadLetterQueue: deadLetters.queue,
      archiveDeleted: this.functions['publish-findings']?.function,
    });
  }

  private scanImageWorkflow(deadLetters: DeadLetters): ScanImage {
    return new ScanImage(this, 'ScanImage', {
      functions: {
        resolve: this.fn('resolve'),
        analyzeLayer: this.fn('analyze-layer'),
        assemble: this.fn('assemble'),
        match: this.fn('match'),
        evaluate: this.fn('evaluate'),
        record: this.fn('record'),
        // Without `securityHub` there is no PublishFindings state, and no function to run it.
        // With it, the function is also the ECR DELETE rule's (asynchronous) target: its
        // failures after the retries go to the dead-letter queue.
        publishFindings: this.config.securityHub
          ? this.fn('publish-findings', deadLetters)
          : undefined,
        signVerdict: this.fn('sign-verdict'),
        // Without a promotion target there is no Promote state, and no function to run it.
        promote: this.config.promotion && this.fn('promote'),
        quarantine: this.fn('quarantine'),
        notify: this.fn('notify'),
        recordFailure: this.fn('record-failure'),
      },
      layerConcurrency: this.config.layerConcurrency,
      publishEvents: this.config.publishEvents,
      ...this.workflowLogs(),
    });
  }

  private fleetScanWorkflow(): FleetScan {
    return new FleetScan(this, 'FleetScan', {
      functions: {
        enumerate: this.fn('fleet-enumerate'),
        checkImage: this.fn('fleet-scan-item'),
        summarize: this.fn('fleet-summarize'),
        posture: this.fn('posture-scan'),
      },
      bucket: this.storage.bucket,
      bucketKey: this.storage.key,
      scanImage: this.scanImage.stateMachine,
      maxConcurrency: this.config.fleetMaxConcurrency,
      toleratedFailurePercentage: this.config.fleetToleratedFailurePercentage,
      ...this.workflowLogs(),
    });
  }

  private deploymentWatchRule(deadLetters: DeadLetters): DeploymentWatch {
    this.fn('deployment-watch', deadLetters);
    return new DeploymentWatch(this, 'DeploymentWatch', {
      watch: this.functions['deployment-watch']!,
      deadLetterQueue: deadLetters.queue,
      enforcement: this.config.runtimeEnforcement,
      clusters: this.config.runtimeClusters,
    });
  }

  private monitor(deadLetters: DeadLetters): Monitoring {
    return new Monitoring(this, 'Monitoring', {
      operations: this.notifications.operations,
      stateMachines: {
        ScanImage: this.scanImage.stateMachine,
        FleetScan: this.fleetScan.stateMachine,
        SyncVulnerabilityData: this.sync.stateMachine,
      },
      functions: Object.fromEntries(
        Object.entries(this.functions).map(([name, f]) => [name, f.function]),
      ),
      deadLetterQueue: deadLetters.queue,
      dataAgeAlarmHours: this.config.dataAgeAlarmHours,
      syncInterval: scheduleInterval(this.config.syncSchedule),
    });
  }

  private workflowLogs(): { logKey: kms.IKey; logRetention: logs.RetentionDays } {
    return { logKey: this.storage.key, logRetention: retentionOf(this.config.logRetentionDays) };
  }

  /** The function of `name`, made with its needs met (start-scan also needs ScanImage). */
  private fn(
    name: FunctionName,
    deadLetters?: DeadLetters,
    scanImage?: sfn.IStateMachine,
  ): lambda.IFunction {
    const signingSecret = this.verdictSigning.secret;
    return this.pipelineFunction(name, { ...this.resources, scanImage, signingSecret }, deadLetters)
      .function;
  }

  /** One function with its spec's size (or the configured one) and its needs met. */
  private pipelineFunction(
    name: FunctionName,
    resources: FunctionResources,
    deadLetters?: DeadLetters,
  ): PipelineFunction {
    const spec = FUNCTION_SPECS[name];
    const sizing = this.config.functions[name] ?? {};
    const created = new PipelineFunction(this.container, pascal(name), {
      name,
      memoryMiB: sizing.memoryMiB ?? spec.memoryMiB,
      timeout: Duration.seconds(sizing.timeoutSeconds ?? spec.timeoutSeconds),
      ephemeralStorageMiB: spec.ephemeralStorageMiB,
      reservedConcurrency: sizing.reservedConcurrency,
      values: environmentValues(resources),
      logKey: this.storage.key,
      logRetention: retentionOf(this.config.logRetentionDays),
      deadLetterQueue: deadLetters?.queue,
      projectRoot: this.root,
    });
    meetNeeds(created, spec.needs, resources);
    this.functions[name] = created;
    return created;
  }

  private outputs(): void {
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('ArtifactsBucket', this.storage.bucket.bucketName, 'Reports, SBOMs, fleet runs');
    output('AuditTable', this.storage.audit.tableName, 'The audit trail (clearance audit --table)');
    output(
      'AuditAnchorsBucket',
      this.auditAnchors.bucket.bucketName,
      'Audit anchors (Object Lock)',
    );
    output('ScanImageArn', this.scanImage.stateMachine.stateMachineArn, 'Scan one image');
    output('FleetScanArn', this.fleetScan.stateMachine.stateMachineArn, 'Re-check the fleet');
    output('AlertsTopicArn', this.notifications.alerts.topicArn, 'Verdicts and fleet digests');
    output('OperationsTopicArn', this.notifications.operations.topicArn, 'Failures and alarms');
  }
}

/** A retention in days as CloudWatch Logs names it; other values are refused by name. */
function retentionOf(days: number): logs.RetentionDays {
  const allowed = Object.values(logs.RetentionDays).filter(
    (v): v is number => typeof v === 'number',
  );
  if (!allowed.includes(days))
    throw new Error(`logRetentionDays is ${days}; expected one of ${allowed.join(', ')}`);
  return days;
}
