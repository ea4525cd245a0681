import { endOfLife } from '../../shared/analyzers/eol';

const TODAY = new Date('2026-11-23T00:00:00Z');

describe('endOfLife', () => {
  it.each([
    [
      { id: 'debian', versionId: '12' },
      { eol: false, eolDate: '2028-06-30' },
    ],
    [
      { id: 'debian', versionId: '11' },
      { eol: true, eolDate: '2026-08-31' },
    ],
    [
      { id: 'ubuntu', versionId: '20.04' },
      { eol: true, eolDate: '2025-05-31' },
    ],
    [
      { id: 'ubuntu', versionId: '24.04' },
      { eol: false, eolDate: '2029-05-31' },
    ],
    [
      { id: 'alpine', versionId: '3.18.9' },
      { eol: true, eolDate: '2025-05-09' },
    ],
    [
      { id: 'alpine', versionId: '3.22.1' },
      { eol: false, eolDate: '2027-05-01' },
    ],
    [
      { id: 'rhel', versionId: '9.4' },
      { eol: false, eolDate: '2032-05-31' },
    ],
    [
      { id: 'rhel', versionId: '7.9' },
      { eol: true, eolDate: '2024-06-30' },
    ],
    [
      { id: 'amzn', versionId: '2' },
      { eol: true, eolDate: '2026-06-30' },
    ],
    [
      { id: 'amzn', versionId: '2023' },
      { eol: false, eolDate: '2029-06-30' },
    ],
    [
      { id: 'rocky', versionId: '8.10' },
      { eol: false, eolDate: '2029-05-31' },
    ],
    [
      { id: 'wolfi', versionId: '20230201' },
      { eol: false, eolDate: null },
    ],
    [
      { id: 'debian', versionId: '99' },
      { eol: false, eolDate: null },
    ],
    [{ id: 'plan9' }, { eol: false, eolDate: null }],
  ])('%j → %j', (os, expected) => {
    expect(endOfLife(os, TODAY)).toEqual(expected);
  });

  it('is end-of-life only after the date, not on it', () => {
    expect(endOfLife({ id: 'debian', versionId: '11' }, new Date('2026-08-31T12:00:00Z')).eol).toBe(
      false,
    );
    expect(endOfLife({ id: 'debian', versionId: '11' }, new Date('2026-09-01T00:00:00Z')).eol).toBe(
      true,
    );
  });
});
