import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { invoke } from './tasks';
import { standardWorkflow } from './workflow';

/** The functions of ScanImage's tasks. */
export interface ScanImageFunctions {
  readonly resolve: lambda.IFunction;
  readonly analyzeLayer: lambda.IFunction;
  readonly assemble: lambda.IFunction;
  readonly match: lambda.IFunction;
  readonly evaluate: lambda.IFunction;
  readonly record: lambda.IFunction;
  /** @default - no Security Hub: Record goes straight to SignVerdict */
  readonly publishFindings?: lambda.IFunction;
  /** Signs the recorded verdict and attaches it to the image (an OCI referrer). */
  readonly signVerdict: lambda.IFunction;
  /** @default - no promotion: a passing image goes straight to ShouldNotify */
  readonly promote?: lambda.IFunction;
  readonly quarantine: lambda.IFunction;
  readonly notify: lambda.IFunction;
  readonly recordFailure: lambda.IFunction;
}

export interface ScanImageProps {
  readonly functions: ScanImageFunctions;
  /**
   * Layers of one platform analysed at once.
   * @default 8
   */
  readonly layerConcurrency?: number;
  /**
   * Platforms of one image scanned at once.
   * @default 4
   */
  readonly platformConcurrency?: number;
  /**
   * Notify runs for every verdict, to put `Clearance Scan Verdict` (it alerts on a changed one
   * only); without events it runs for a changed verdict only.
   * @default false
   */
  readonly publishEvents?: boolean;
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
}

/** `$.error` holds what a Catch caught: `{Error, Cause}`. */
const CATCH = { errors: [sfn.Errors.ALL], resultPath: '$.error' };

/**
 * The ScanImage state machine. Its state names are a contract: the local runner
 * (`clearance pipeline run`) executes this very definition and finds each task's handler by
 * the `clearance:handler` metadata of the function it invokes.
 *
 * Deferred (WaitForIndex) → Resolve → IsSkipped (Skipped) → ScanPlatforms (Map: AnalyzeLayers
 * (Map: AnalyzeLayer) → Assemble → Match → Evaluate) → Record → SignVerdict → Decide → Promote |
 * Quarantine → ShouldNotify → Notify → Done; any failure → RecordFailure → NotifyOperations →
 * ScanFailed.
 */
export class ScanImage extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ScanImageProps) {
    super(scope, id);
    const f = props.functions;
    const onFailure = this.failurePath(f);
    const caught = <T extends sfn.TaskStateBase | sfn.Map>(state: T): T => {
      state.addCatch(onFailure, CATCH);
      return state;
    };
    const resolve = caught(invoke(this, 'Resolve', f.resolve));
    const platforms = caught(this.scanPlatforms(props));
    const record = caught(invoke(this, 'Record', f.record, { resultPath: '$.record' }));
    const signVerdict = caught(
      invoke(this, 'SignVerdict', f.signVerdict, { resultPath: '$.attestation' }),
    );
    const done = new sfn.Succeed(this, 'Done');
    const notify = caught(
      invoke(this, 'Notify', f.notify, {
        payload: { kind: 'verdict', scan: sfn.JsonPath.entirePayload },
        resultPath: '$.notification',
      }),
    );
    const shouldNotify = new sfn.Choice(this, 'ShouldNotify')
      .when(sfn.Condition.booleanEquals('$.record.changed', true), notify.next(done))
      .otherwise(props.publishEvents === true ? notify : done);
    const quarantine = caught(
      invoke(this, 'Quarantine', f.quarantine, { resultPath: '$.quarantine' }),
    );
    const passed =
      f.promote === undefined
        ? shouldNotify
        : caught(invoke(this, 'Promote', f.promote, { resultPath: '$.promotion' })).next(
            shouldNotify,
          );
    const decide = new sfn.Choice(this, 'Decide')
      .when(sfn.Condition.stringEquals('$.record.decision', 'fail'), quarantine.next(shouldNotify))
      .otherwise(passed);
    // Resolve records what it skips (an artifact, a platform its index's scan covers): no scan.
    const skipped = new sfn.Succeed(this, 'Skipped');
    const isSkipped = new sfn.Choice(this, 'IsSkipped')
      .when(sfn.Condition.isPresent('$.skipped'), skipped)
      .otherwise(platforms.next(record).next(this.publishFindings(f, signVerdict)));
    signVerdict.next(decide);
    // An untagged manifest's scan first waits for the index it may belong to (start-scan.ts).
    const waitForIndex = new sfn.Wait(this, 'WaitForIndex', {
      time: sfn.WaitTime.secondsPath('$.defer.seconds'),
    });
    const deferred = new sfn.Choice(this, 'Deferred')
      .when(sfn.Condition.isPresent('$.defer'), waitForIndex.next(resolve))
      .otherwise(resolve);
    resolve.next(isSkipped);
    this.stateMachine = standardWorkflow(this, 'StateMachine', {
      definition: deferred,
      comment: 'Clearance: scan one image (repository + digest) and act on its verdict',
      logKey: props.logKey,
      logRetention: props.logRetention,
      functions: Object.values(f).filter((fn): fn is lambda.IFunction => fn !== undefined),
    });
  }

  /** Each platform: its layers (bounded), then Assemble → Match → Evaluate; the output is its verdict. */
  private scanPlatforms(props: ScanImageProps): sfn.Map {
    const f = props.functions;
    const analyzeLayers = new sfn.Map(this, 'AnalyzeLayers', {
      itemsPath: '$.platform.layers',
      itemSelector: {
        image: sfn.JsonPath.objectAt('$.image'),
        analyzerSet: sfn.JsonPath.stringAt('$.analyzerSet'),
        layer: sfn.JsonPath.objectAt('$$.Map.Item.Value'),
      },
      maxConcurrency: props.layerConcurrency ?? 8,
      resultPath: '$.layers',
    }).itemProcessor(invoke(this, 'AnalyzeLayer', f.analyzeLayer));
    const assemble = invoke(this, 'Assemble', f.assemble, {
      payload: pick('scanId', 'image', 'platform', 'layers'),
      resultPath: '$.assembled',
    });
    const match = invoke(this, 'Match', f.match, {
      payload: pick('scanId', 'assembled'),
      resultPath: '$.matched',
    });
    // No ResultPath: the iteration's output is Evaluate's result, the EvaluatedPlatform.
    const evaluate = invoke(this, 'Evaluate', f.evaluate, {
      payload: pick('scanId', 'image', 'matched'),
    });
    const platforms = new sfn.Map(this, 'ScanPlatforms', {
      itemsPath: '$.platforms',
      itemSelector: {
        scanId: sfn.JsonPath.stringAt('$.scanId'),
        image: sfn.JsonPath.objectAt('$.image'),
        analyzerSet: sfn.JsonPath.stringAt('$.analyzerSet'),
        platform: sfn.JsonPath.objectAt('$$.Map.Item.Value'),
      },
      maxConcurrency: props.platformConcurrency ?? 4,
      resultPath: '$.platforms',
    }).itemProcessor(analyzeLayers.next(assemble).next(match).next(evaluate));
    // No Retry on the Maps: their tasks retry throttling and transient errors themselves, and a
    // Map's retry would re-run every iteration, multiplying those attempts (up to 7 × 7 per
    // layer). What the tasks gave up on is caught into RecordFailure.
    return platforms;
  }

  /**
   * PublishFindings (with `securityHub`), then `next`. It never fails the scan: the step reports
   * what Security Hub refused in its output, and anything it throws (a timeout, the Lambda
   * service giving up) is caught into `$.securityHub` and the scan goes on.
   */
  private publishFindings(f: ScanImageFunctions, next: sfn.IChainable): sfn.IChainable {
    if (f.publishFindings === undefined) return next;
    const publish = invoke(this, 'PublishFindings', f.publishFindings, {
      resultPath: '$.securityHub',
    });
    publish.addCatch(next, { errors: [sfn.Errors.ALL], resultPath: '$.securityHub' });
    return publish.next(next);
  }

  /** Audit the failure, tell operations, and fail the execution (so that it counts as failed). */
  private failurePath(f: ScanImageFunctions): sfn.IChainable {
    const recordFailure = invoke(this, 'RecordFailure', f.recordFailure, {
      resultPath: '$.failure',
    });
    const notifyOperations = invoke(this, 'NotifyOperations', f.notify, {
      payload: { kind: 'failure', failure: sfn.JsonPath.objectAt('$.failure') },
      resultPath: '$.notification',
    });
    const failed = new sfn.Fail(this, 'ScanFailed', {
      error: 'Clearance.ScanFailed',
      cause: 'The scan failed; RecordFailure recorded why in the audit trail.',
    });
    return recordFailure.next(notifyOperations).next(failed);
  }
}

/** Parameters that copy the named fields of the state: `{ "name.$": "$.name", … }`. */
function pick(...names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, sfn.JsonPath.objectAt(`$.${name}`)]));
}
