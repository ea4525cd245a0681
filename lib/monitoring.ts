import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface MonitoringProps {
  /** Where every alarm goes. */
  readonly operations: sns.ITopic;
  /** The state machines by name (ScanImage, FleetScan, SyncVulnerabilityData). */
  readonly stateMachines: Readonly<Record<string, sfn.IStateMachine>>;
  /** The functions by folder name. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly deadLetterQueue: sqs.IQueue;
  /** The VulnerabilityDataAgeHours alarm fires above this age. */
  readonly dataAgeAlarmHours: number;
  /**
   * The longest gap between two runs of SyncVulnerabilityData (lib/schedule-interval.ts): the
   * stale-data alarm looks this long, and an hour more, for a data-age point.
   * @default - `dataAgeAlarmHours`: a schedule of unknown interval is watched over the threshold
   */
  readonly syncInterval?: Duration;
}

const FIVE_MINUTES = Duration.minutes(5);
/** How late a sync's data-age point may come after its slot (the run takes 15 minutes at most). */
const SYNC_GRACE = Duration.hours(1);
/** The longest period × evaluation periods of an alarm (PutMetricAlarm, periods of 1 h or more). */
const MAX_ALARM_RANGE = Duration.days(7);

/**
 * The posture run's metrics (shared/posture-run/run.ts), one point a night: failing workloads,
 * running images without a pass verdict, failed registry checks, parts of the account not read.
 */
export const POSTURE_METRICS = [
  'PostureFailedWorkloads',
  'ImagesRunningWithoutPass',
  'RegistryChecksFailed',
  'PosturePartsUnread',
] as const;

/** A posture metric as the posture-scan function emits it, its nightly maximum. */
export function postureMetric(name: (typeof POSTURE_METRICS)[number]): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'Clearance',
    metricName: name,
    dimensionsMap: { service: 'posture-scan' },
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.days(1),
  });
}

/** Findings Security Hub did not take (refused, or throttled past the retries), in an hour. */
function securityHubAlarm(): cloudwatch.CreateAlarmOptions & { metric: cloudwatch.IMetric } {
  return {
    metric: new cloudwatch.Metric({
      namespace: 'Clearance',
      metricName: 'SecurityHubFindingsFailed',
      dimensionsMap: { service: 'publish-findings' },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.hours(1),
    }),
    threshold: 0,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: 'Security Hub did not take some findings (the function logs which, and why)',
  };
}

/** The metric the sync function emits (Powertools adds the `service` dimension). */
export function dataAgeMetric(): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'Clearance',
    metricName: 'VulnerabilityDataAgeHours',
    dimensionsMap: { service: 'sync-vulnerability-data' },
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.hours(1),
  });
}

/**
 * Alarms to the operations topic (a failed execution of each state machine, a dead letter,
 * vulnerability data older than its threshold, errors of each function) and one dashboard.
 */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.operations);
    const alarm = (
      name: string,
      options: cloudwatch.CreateAlarmOptions & { metric: cloudwatch.IMetric },
    ): void => {
      const created = new cloudwatch.Alarm(this, name, options);
      created.addAlarmAction(action);
      this.alarms.push(created);
    };
    for (const [name, machine] of Object.entries(props.stateMachines))
      alarm(`${name}Failed`, {
        metric: machine.metricFailed({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `A ${name} execution failed`,
      });
    alarm('DeadLetters', {
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: FIVE_MINUTES,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'An event could not be delivered (push event, schedule, start-scan)',
    });
    alarm('VulnerabilityDataStale', staleDataAlarm(props));
    // A night's posture run found failing workloads, images running without a pass verdict, or
    // registry checks failing. No point (no run, or a failed one) is not breaching: the
    // FleetScanFailed and PostureScanErrors alarms tell those.
    for (const name of POSTURE_METRICS)
      alarm(name, {
        metric: postureMetric(name),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `The nightly posture run reported ${name} above 0 (the fleet digest names them)`,
      });
    // With `securityHub`: PublishFindings never fails the scan, so its alarm tells what it lost.
    if (props.functions['publish-findings'] !== undefined)
      alarm('SecurityHubFindingsFailed', securityHubAlarm());
    for (const [name, fn] of Object.entries(props.functions))
      alarm(`${pascal(name)}Errors`, {
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `The ${name} function failed`,
      });
    this.dashboard = dashboard(this, props);
  }
}

/**
 * The stale-data alarm. The sync emits its data-age point only when it succeeds with data, so
 * a missing point is a failed or empty sync: breaching. One period spans a whole sync interval
 * and its grace, so that it always holds the point of a sync that ran (a shorter one would be
 * empty, and breaching, between two healthy syncs); its statistic is the freshest age reported.
 */
function staleDataAlarm(
  props: MonitoringProps,
): cloudwatch.CreateAlarmOptions & { metric: cloudwatch.IMetric } {
  const interval = props.syncInterval ?? Duration.hours(props.dataAgeAlarmHours);
  const period = Duration.minutes(interval.toMinutes() + SYNC_GRACE.toMinutes());
  if (period.toSeconds() > MAX_ALARM_RANGE.toSeconds())
    throw new Error(
      `the sync runs every ${interval.toHumanString()}; the stale-data alarm can watch at most ${MAX_ALARM_RANGE.toHumanString()} (less the grace of ${SYNC_GRACE.toHumanString()})`,
    );
  return {
    metric: dataAgeMetric().with({ period, statistic: cloudwatch.Stats.MINIMUM }),
    threshold: props.dataAgeAlarmHours,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    alarmDescription: `The vulnerability data is older than ${props.dataAgeAlarmHours} hours, or no sync reported its age in ${period.toHumanString()}`,
  };
}

function dashboard(scope: Construct, props: MonitoringProps): cloudwatch.Dashboard {
  const machines = Object.entries(props.stateMachines);
  const functions = Object.entries(props.functions);
  const perFunction = (title: string, metric: (fn: lambda.IFunction) => cloudwatch.IMetric) =>
    new cloudwatch.GraphWidget({
      title,
      width: 12,
      left: functions.map(([name, fn]) =>
        (metric(fn) as cloudwatch.Metric).with({ label: name, period: FIVE_MINUTES }),
      ),
    });
  return new cloudwatch.Dashboard(scope, 'Dashboard', {
    widgets: [
      machines.map(
        ([name, machine]) =>
          new cloudwatch.GraphWidget({
            title: name,
            width: 8,
            left: [
              machine.metricStarted({ period: FIVE_MINUTES, label: 'started' }),
              machine.metricSucceeded({ period: FIVE_MINUTES, label: 'succeeded' }),
              machine.metricFailed({ period: FIVE_MINUTES, label: 'failed' }),
            ],
          }),
      ),
      [
        perFunction('Function errors', (fn) => fn.metricErrors()),
        perFunction('Function throttles', (fn) => fn.metricThrottles()),
      ],
      [
        perFunction('Function duration (p90)', (fn) => fn.metricDuration({ statistic: 'p90' })),
        new cloudwatch.GraphWidget({
          title: 'Dead letters and data age',
          width: 12,
          left: [
            props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
              label: 'dead letters',
            }),
          ],
          right: [dataAgeMetric().with({ label: 'data age (hours)' })],
        }),
      ],
      [
        new cloudwatch.GraphWidget({
          title: 'Runtime posture (nightly)',
          width: 12,
          left: POSTURE_METRICS.map((name) => postureMetric(name).with({ label: name })),
        }),
      ],
    ],
  });
}

/** `analyze-layer` → `AnalyzeLayer`. */
export function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __: string, c: string) => c.toUpperCase());
}
