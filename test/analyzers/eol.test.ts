import type { OsRelease } from '../../shared/analyzers/analyzer';
import { endOfLife } from '../../shared/analyzers/eol';

const TODAY = new Date('2026-11-23T00:00:00Z');
const UNKNOWN = { eol: false, eolDate: null };

describe('endOfLife', () => {
  describe('when the release is in the table', () => {
    it.each<[OsRelease, boolean, string]>([
      [{ id: 'debian', versionId: '10' }, true, '2024-06-30'],
      [{ id: 'debian', versionId: '11' }, true, '2026-08-31'],
      [{ id: 'debian', versionId: '12' }, false, '2028-06-30'],
      [{ id: 'debian', versionId: '13' }, false, '2030-06-30'],
      [{ id: 'ubuntu', versionId: '16.04' }, true, '2021-04-30'],
      [{ id: 'ubuntu', versionId: '20.04' }, true, '2025-05-31'],
      [{ id: 'ubuntu', versionId: '22.04' }, false, '2027-06-01'],
      [{ id: 'ubuntu', versionId: '23.10' }, true, '2024-07-11'],
      [{ id: 'ubuntu', versionId: '24.04' }, false, '2029-05-31'],
      [{ id: 'alpine', versionId: '3.15.11' }, true, '2023-11-01'],
      [{ id: 'alpine', versionId: '3.18.9' }, true, '2025-05-09'],
      [{ id: 'alpine', versionId: '3.20.3' }, true, '2026-04-01'],
      [{ id: 'alpine', versionId: '3.22.1' }, false, '2027-05-01'],
      [{ id: 'rhel', versionId: '7.9' }, true, '2024-06-30'],
      [{ id: 'rhel', versionId: '8.10' }, false, '2029-05-31'],
      [{ id: 'rhel', versionId: '9.4' }, false, '2032-05-31'],
      [{ id: 'rhel', versionId: '10.0' }, false, '2035-05-31'],
      [{ id: 'amzn', versionId: '2' }, true, '2026-06-30'],
      [{ id: 'amzn', versionId: '2023' }, false, '2029-06-30'],
      [{ id: 'amzn', versionId: '2018.03' }, true, '2023-12-31'],
      [{ id: 'amzn', versionId: '2011.09' }, true, '2023-12-31'],
      [{ id: 'rocky', versionId: '8.10' }, false, '2029-05-31'],
      [{ id: 'rocky', versionId: '9.3' }, false, '2032-05-31'],
      [{ id: 'almalinux', versionId: '8.10' }, false, '2029-03-01'],
      [{ id: 'almalinux', versionId: '9.4' }, false, '2032-05-31'],
      [{ id: 'centos', versionId: '7.9.2009' }, true, '2024-06-30'],
    ])('%j → eol %s since %s', (os, eol, eolDate) => {
      expect(endOfLife(os, TODAY)).toEqual({ eol, eolDate });
    });
  });

  describe('when the distribution is rolling', () => {
    it.each<OsRelease>([
      { id: 'wolfi', versionId: '20230201' },
      { id: 'chainguard', versionId: '20230214' },
    ])('says %j is not end-of-life and has no date', (os) => {
      expect(endOfLife(os, TODAY)).toEqual(UNKNOWN);
    });
  });

  describe('when the distribution or release is unknown', () => {
    it.each<OsRelease>([
      { id: 'debian', versionId: '99' },
      { id: 'debian', versionCodename: 'trixie' },
      { id: 'alpine', versionId: '3.14.10' },
      { id: 'ubuntu', versionId: '24' },
      { id: 'plan9' },
      { id: 'debian', versionId: 'constructor' },
      { id: '__proto__', versionId: 'toString' },
    ])('says %j is not known to be end-of-life', (os) => {
      expect(endOfLife(os, TODAY)).toEqual(UNKNOWN);
    });
  });

  describe('when Amazon Linux 2 reaches its end of support', () => {
    it('is end-of-life from 2026-07-01 (UTC), and Amazon Linux 2023 is not', () => {
      expect(endOfLife({ id: 'amzn', versionId: '2' }, new Date('2026-06-30T12:00:00Z'))).toEqual({
        eol: false,
        eolDate: '2026-06-30',
      });
      expect(endOfLife({ id: 'amzn', versionId: '2' }, new Date('2026-07-01T00:00:00Z')).eol).toBe(
        true,
      );
      expect(
        endOfLife({ id: 'amzn', versionId: '2023' }, new Date('2029-06-30T00:00:00Z')).eol,
      ).toBe(false);
    });
  });

  describe('when today is the last day of support', () => {
    it('is end-of-life only after the date, not on it (in UTC)', () => {
      const debian11 = { id: 'debian', versionId: '11' };
      expect(endOfLife(debian11, new Date('2026-08-31T23:59:59Z')).eol).toBe(false);
      expect(endOfLife(debian11, new Date('2026-09-01T00:00:00Z')).eol).toBe(true);
    });
  });
});
