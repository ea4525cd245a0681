import { Aws, Duration, Fn } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledgeWildcards } from './nag';
import { invoke } from './tasks';
import { standardWorkflow } from './workflow';

export interface FleetScanFunctions {
  readonly enumerate: lambda.IFunction;
  readonly checkImage: lambda.IFunction;
  readonly summarize: lambda.IFunction;
  /**
   * The posture run of the deployed workloads and the registry, before Summarize.
   * @default - no posture step: the digest has no runtime posture section
   */
  readonly posture?: lambda.IFunction;
}

export interface FleetScanProps {
  readonly functions: FleetScanFunctions;
  /** The artifacts bucket: the items file and the map's results. */
  readonly bucket: s3.IBucket;
  /** Its key (the ItemReader decrypts, the ResultWriter encrypts). */
  readonly bucketKey: kms.IKey;
  /** Started for each image the fleet has no usable scan of. */
  readonly scanImage: sfn.IStateMachine;
  /** @default 50 */
  readonly maxConcurrency?: number;
  /** @default 5 */
  readonly toleratedFailurePercentage?: number;
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The nightly FleetScan: Enumerate (the items file `fleet/<runId>/items.jsonl`) → CheckFleet, a
 * Distributed Map reading that file, whose child executions re-match a known digest
 * (CheckImage) or run ScanImage on an unknown one (ScanNewImage) → Posture (the deployed
 * workloads and the registry, after the re-check so that the running images' verdicts are
 * tonight's; a failure is caught into PostureFailed and told in the digest, never failing the
 * re-check) → Summarize (reads the ResultWriter's manifest under `fleet/<runId>/results/`, the
 * prefix Enumerate returns, and is given the posture run's summary).
 */
export class FleetScan extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: FleetScanProps) {
    super(scope, id);
    const f = props.functions;
    const enumerate = invoke(this, 'Enumerate', f.enumerate, {
      // The run is named after the execution, so that a retried Enumerate writes the same file.
      payload: { runId: sfn.JsonPath.stringAt('$$.Execution.Name') },
    });
    const summarize = invoke(this, 'Summarize', f.summarize, {
      payload: {
        runId: sfn.JsonPath.stringAt('$.runId'),
        manifestKey: sfn.JsonPath.stringAt('$.results.ResultWriterDetails.Key'),
        ...(f.posture && { posture: sfn.JsonPath.objectAt('$.posture') }),
      },
    });
    const checkFleet = this.checkFleet(props);
    const checked = enumerate.next(checkFleet);
    this.stateMachine = standardWorkflow(this, 'StateMachine', {
      definition: (f.posture ? checked.next(this.posture(f.posture, summarize)) : checked).next(
        summarize,
      ),
      comment: 'Clearance: re-check every watched image against current vulnerability data',
      logKey: props.logKey,
      logRetention: props.logRetention,
      functions: Object.values(f).filter((fn): fn is lambda.IFunction => fn !== undefined),
    });
    this.grantMapAccess(props);
  }

  /**
   * Posture (its summary at `$.posture`), whose failure, after its retries, is caught into
   * PostureFailed (`{status: 'failed', error, cause}` at `$.posture`) and goes on to Summarize.
   */
  private posture(fn: lambda.IFunction, summarize: sfn.IChainable): tasks.LambdaInvoke {
    const posture = invoke(this, 'Posture', fn, {
      payload: { runId: sfn.JsonPath.stringAt('$.runId') },
      resultPath: '$.posture',
    });
    const failed = new sfn.Pass(this, 'PostureFailed', {
      parameters: {
        status: 'failed',
        error: sfn.JsonPath.stringAt('$.posture.Error'),
        cause: sfn.JsonPath.stringAt('$.posture.Cause'),
      },
      resultPath: '$.posture',
    });
    posture.addCatch(failed.next(summarize), { errors: ['States.ALL'], resultPath: '$.posture' });
    return posture;
  }

  private checkFleet(props: FleetScanProps): sfn.DistributedMap {
    const checkImage = invoke(this, 'CheckImage', props.functions.checkImage);
    const needsScan = new sfn.Choice(this, 'NeedsScan')
      .when(
        sfn.Condition.and(
          sfn.Condition.isPresent('$.needsScan'),
          sfn.Condition.booleanEquals('$.needsScan', true),
        ),
        this.scanNewImage(props.scanImage),
      )
      .otherwise(new sfn.Succeed(this, 'Checked'));
    return new sfn.DistributedMap(this, 'CheckFleet', {
      itemReader: new sfn.S3JsonLItemReader({
        bucket: props.bucket,
        key: sfn.JsonPath.stringAt('$.itemsKey'),
      }),
      // Enumerate's `startedAt` is the trigger time of the scans an item starts: a re-driven
      // item builds the same ScanImage input, so its StartExecution stays idempotent.
      itemSelector: {
        runId: sfn.JsonPath.stringAt('$.runId'),
        startedAt: sfn.JsonPath.stringAt('$.startedAt'),
        image: sfn.JsonPath.objectAt('$$.Map.Item.Value'),
      },
      maxConcurrency: props.maxConcurrency ?? 50,
      toleratedFailurePercentage: props.toleratedFailurePercentage ?? 5,
      // The run's prefix as Enumerate names it (`fleetKeys(runId).results`), a reference path
      // like the ItemReader's key: the ASL admits an intrinsic here too (ResultWriter
      // Parameters are a Payload Template), but this keeps the key layout in one place. Step
      // Functions writes `<map run id>/manifest.json` and the result files under it.
      resultWriterV2: new sfn.ResultWriterV2({
        bucket: props.bucket,
        prefix: sfn.JsonPath.stringAt('$.resultsPrefix'),
      }),
      resultPath: '$.results',
      // Standard children: an Express child cannot wait for ScanImage (`.sync` is Standard-only).
      mapExecutionType: sfn.StateMachineType.STANDARD,
    }).itemProcessor(checkImage.next(needsScan));
  }

  /**
   * ScanImage on a digest the fleet has no usable scan of, waited for (`.sync:2`: its output
   * parsed as JSON). The ResultSelector keeps what Summarize reads of ScanImage's final state
   * (shared/fleet/outcomes.ts): the verdict `record` and each platform's `counts`.
   */
  private scanNewImage(scanImage: sfn.IStateMachine): tasks.StepFunctionsStartExecution {
    const scan = new tasks.StepFunctionsStartExecution(this, 'ScanNewImage', {
      stateMachine: scanImage,
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      input: sfn.TaskInput.fromJsonPathAt('$.scanInput'),
      name: sfn.JsonPath.stringAt('$.executionName'),
      resultSelector: {
        status: sfn.JsonPath.stringAt('$.Status'),
        executionArn: sfn.JsonPath.stringAt('$.ExecutionArn'),
        record: sfn.JsonPath.objectAt('$.Output.record'),
        counts: sfn.JsonPath.listAt('$.Output.platforms[*].counts'),
      },
      resultPath: '$.scan',
    });
    scan.addRetry({
      errors: ['StepFunctions.ExecutionLimitExceededException', 'StepFunctions.SdkClientException'],
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 4,
      jitterStrategy: sfn.JitterType.FULL,
    });
    // The execution's name is the run's and the image's (fleetExecutionName): a re-driven item
    // whose ScanImage already ended is refused with ExecutionAlreadyExists (one still running
    // with the same input is not: StartExecution is idempotent for Standard workflows, hence
    // the same `startedAt` in the ItemSelector). The optimized integration names the refusal
    // `StepFunctions.ExecutionAlreadyExistsException`, the SDK exception with the integration's
    // prefix, as it names `StepFunctions.ExecutionLimitExceededException` (see
    // floci-io/floci#3059, an emulator typing the nested refusal as AWS does). That scan's
    // outcome is in its own execution and the audit trail; the item is not failed for it.
    const alreadyScanned = new sfn.Pass(this, 'AlreadyScanned', {
      parameters: { status: 'ALREADY_SCANNED', error: sfn.JsonPath.objectAt('$.scan') },
      resultPath: '$.scan',
    });
    scan.addCatch(alreadyScanned, {
      errors: ['StepFunctions.ExecutionAlreadyExistsException'],
      resultPath: '$.scan',
    });
    return scan;
  }

  /**
   * The map reads the items file and writes its results with the state machine's role, which
   * also needs the bucket's key; and the wildcards that CDK's ItemReader, ResultWriter, `.sync`
   * and Distributed Map grants name, acknowledged here.
   */
  private grantMapAccess(props: FleetScanProps): void {
    const machine = this.stateMachine;
    props.bucketKey.grant(machine.role, 'kms:Decrypt', 'kms:GenerateDataKey');
    const executions = (arn: string, suffix: string): string =>
      `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:${Fn.select(6, Fn.split(':', arn))}${suffix}`;
    acknowledgeWildcards(
      machine,
      { resources: [`arn:${Aws.PARTITION}:s3:::${props.bucket.bucketName}/*`] },
      "CDK's ItemReader and ResultWriter grants: the artifacts bucket's objects (the items file and results are made per run).",
    );
    acknowledgeWildcards(
      machine,
      { resources: [executions(props.scanImage.stateMachineArn, '*')] },
      "CDK's `.sync` grant: describe and stop the ScanImage executions this map starts (their names are made per image).",
    );
    acknowledgeWildcards(
      machine,
      {
        resources: [
          executions(machine.stateMachineArn, ':*'),
          executions(machine.stateMachineArn, '/*:*'),
        ],
      },
      "CDK's Distributed Map grant: the map's own child executions.",
    );
  }
}
