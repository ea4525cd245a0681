import { Duration } from 'aws-cdk-lib';

/*
 * How long a schedule can leave between two runs, read from its EventBridge Scheduler
 * expression (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html):
 * what an alarm on a metric that each run emits waits before it counts a missing point.
 */

const MINUTES_A_DAY = 24 * 60;
const UNIT_MINUTES: Readonly<Record<string, number>> = { minute: 1, hour: 60, day: MINUTES_A_DAY };

/**
 * The longest gap between two runs of `expression`: `rate(4 hours)` → 4 hours;
 * `cron(0 3 * * ? *)` → 24 hours; `cron(0 0/6 * * ? *)` or `cron(0 0,6,12,18 * * ? *)` → 6
 * hours. A cron expression is read only when it fires every day alike (day-of-month and
 * day-of-week `*` or `?`, every month and year); otherwise, and for a one-time `at(…)`, the
 * answer is undefined.
 */
export function scheduleInterval(expression: string): Duration | undefined {
  const text = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+(minute|hour|day)s?\s*\)$/.exec(text);
  if (rate !== null) {
    const minutes = Number(rate[1]) * UNIT_MINUTES[rate[2]!]!;
    return minutes > 0 ? Duration.minutes(minutes) : undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(text);
  return cron === null ? undefined : dailyCronInterval(cron[1]!.trim().split(/\s+/));
}

/** The longest gap of a cron expression that fires on the same minutes every day. */
function dailyCronInterval(fields: readonly string[]): Duration | undefined {
  if (fields.length !== 6) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const everyDay = [dayOfMonth, dayOfWeek].every((f) => f === '*' || f === '?');
  if (!everyDay || month !== '*' || year !== '*') return undefined;
  const minutes = expand(minute, 59);
  const hours = expand(hour, 23);
  if (minutes === undefined || hours === undefined) return undefined;
  const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
  // The gap from the last run of a day to the first of the next counts too.
  const gaps = times.map((t, i) => (times[i + 1] ?? times[0]! + MINUTES_A_DAY) - t);
  return Duration.minutes(Math.max(...gaps));
}

/** The values of one cron field (`*`, `5`, `1,2`, `1-5`, `0/15`, `8-18/2`), or undefined. */
function expand(field: string, max: number): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (match === null) return undefined;
    const [, start, end, step] = match;
    const from = start === '*' ? 0 : Number(start);
    const to = end !== undefined ? Number(end) : start === '*' || step !== undefined ? max : from;
    const by = step === undefined ? 1 : Number(step);
    if (from > to || to > max || by < 1) return undefined;
    for (let v = from; v <= to; v += by) values.add(v);
  }
  return [...values];
}
