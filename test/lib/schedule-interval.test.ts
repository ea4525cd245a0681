import { scheduleInterval } from '../../lib/schedule-interval';

const minutesOf = (expression: string) => scheduleInterval(expression)?.toMinutes();

describe('scheduleInterval', () => {
  describe('when the schedule is a rate', () => {
    it.each([
      ['rate(1 minute)', 1],
      ['rate(30 minutes)', 30],
      ['rate(1 hour)', 60],
      ['rate(4 hours)', 240],
      ['rate(2 days)', 2880],
      [' rate( 12  hours ) ', 720],
    ])('reads %s as %d minutes', (expression, minutes) => {
      expect(minutesOf(expression)).toBe(minutes);
    });
  });

  describe('when the schedule is a cron that fires every day alike', () => {
    it.each([
      ['cron(0 3 * * ? *)', 24 * 60],
      ['cron(0 0/6 * * ? *)', 6 * 60],
      ['cron(30 */4 * * ? *)', 4 * 60],
      ['cron(0 0,6,12,18 * * ? *)', 6 * 60],
      // 06:00, 09:00, then 06:00 the next day: the longest gap is the night.
      ['cron(0 6,9 * * ? *)', 21 * 60],
      ['cron(0 8-18/2 * * ? *)', 14 * 60],
      ['cron(0/15 * * * ? *)', 15],
      ['cron(0 * ? * * *)', 60],
    ])('reads %s as its longest gap, %d minutes', (expression, minutes) => {
      expect(minutesOf(expression)).toBe(minutes);
    });
  });

  describe('when the interval cannot be read', () => {
    it.each([
      ['a cron of some weekdays', 'cron(0 3 ? * MON-FRI *)'],
      ['a cron of some days of the month', 'cron(0 3 1 * ? *)'],
      ['a cron of some months', 'cron(0 3 * 1,7 ? *)'],
      ['a cron of five fields', 'cron(0 3 * * ?)'],
      ['a cron with a value out of range', 'cron(0 25 * * ? *)'],
      ['a cron with a name of its own', 'cron(0 L * * ? *)'],
      ['a one-time schedule', 'at(2027-01-01T00:00:00)'],
      ['a rate of zero', 'rate(0 hours)'],
      ['a rate of weeks', 'rate(1 week)'],
      ['an empty expression', ''],
    ])('is undefined for %s', (_name, expression) => {
      expect(scheduleInterval(expression)).toBeUndefined();
    });
  });
});
