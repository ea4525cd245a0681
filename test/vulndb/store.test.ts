import { dataAgeHours } from '../../shared/vulndb/store';

const NOW = new Date('2025-02-05T04:05:06Z');

describe('dataAgeHours', () => {
  it.each([
    [null, null],
    ['2025-02-05T03:05:06Z', 1],
    ['2025-02-04T19:50:06Z', 8.25],
    ['2025-02-05T05:00:00Z', 0],
  ])('from a newest change at %s is %s', (newestModified, hours) => {
    expect(dataAgeHours({ newestModified }, NOW)).toBe(hours);
  });
});
