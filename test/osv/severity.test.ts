import { advisorySeverity, severityOfScore } from '../../shared/osv/severity';
import type { OsvAffected, OsvRecord } from '../../shared/osv/record';

const entry = (extra: Partial<OsvAffected> = {}): OsvAffected => ({
  ecosystem: 'npm',
  name: 'x',
  severity: [],
  ranges: [],
  versions: [],
  ...extra,
});
const record = (extra: Partial<OsvRecord> = {}): OsvRecord => ({
  id: 'X-1',
  modified: '2024-01-01T00:00:00Z',
  aliases: [],
  related: [],
  upstream: [],
  severity: [],
  affected: [],
  ...extra,
});

describe('advisorySeverity', () => {
  describe('when the record has CVSS vectors', () => {
    it.each([
      ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10, 'CRITICAL'],
      ['CVSS_V3', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5, 'HIGH'],
      [
        'CVSS_V4',
        'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
        9.3,
        'CRITICAL',
      ],
      ['CVSS_V2', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5, 'HIGH'],
      ['CVSS_V3', 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.8, 'LOW'],
    ])('scores a %s vector %s as %d, %s', (type, vector, score, severity) => {
      expect(advisorySeverity(record({ severity: [{ type, score: vector }] }), entry())).toEqual({
        severity,
        cvss: { score, vector },
        vendor: 'cvss',
      });
    });

    it('prefers v4 to v3, and the affected entry to the record', () => {
      const v3 = { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' };
      const v4 = {
        type: 'CVSS_V4',
        score: 'CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N',
      };
      expect(advisorySeverity(record({ severity: [v3, v4] }), entry())?.cvss?.vector).toBe(
        v4.score,
      );
      expect(
        advisorySeverity(record({ severity: [v4] }), entry({ severity: [v3] }))?.cvss?.vector,
      ).toBe(v3.score);
    });

    it('skips a vector the calculator refuses', () => {
      const severity = [
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:X' },
        { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
      ];
      expect(advisorySeverity(record({ severity }), entry())?.cvss?.score).toBe(7.5);
    });
  });

  describe('when only a vendor word is given', () => {
    it.each([
      [record({ databaseSpecific: { severity: 'MODERATE' } }), entry(), 'MEDIUM', 'ghsa'],
      [record(), entry({ ecosystemSpecific: { urgency: 'high' } }), 'HIGH', 'debian-urgency'],
      [record(), entry({ ecosystemSpecific: { urgency: 'unimportant' } }), 'LOW', 'debian-urgency'],
      [
        record({ severity: [{ type: 'Ubuntu', score: 'medium' }] }),
        entry(),
        'MEDIUM',
        'ubuntu-priority',
      ],
    ])('maps it (%#)', (r, e, severity, vendor) => {
      expect(advisorySeverity(r, e)).toMatchObject({ severity, vendor });
    });

    it.each([
      ['critical', 'CRITICAL'],
      ['Important', 'HIGH'],
      ['medium', 'MEDIUM'],
      ['Low', 'LOW'],
    ])("maps Amazon's ALAS rating %s to %s", (word, severity) => {
      const alas = entry({ ecosystem: 'Amazon Linux:2023', databaseSpecific: { severity: word } });
      expect(advisorySeverity(record(), alas)).toEqual({
        severity,
        vendor: 'amazon',
        vendorSeverity: word,
      });
    });

    it("reads an ALAS rating only of Amazon Linux entries, and only Amazon's words", () => {
      const other = entry({
        ecosystem: 'Rocky Linux:9',
        databaseSpecific: { severity: 'critical' },
      });
      const odd = entry({
        ecosystem: 'Amazon Linux:2',
        databaseSpecific: { severity: 'negligible' },
      });
      expect(advisorySeverity(record(), other)).toBeUndefined();
      expect(advisorySeverity(record(), odd)).toBeUndefined();
    });

    it('prefers a CVSS vector to the ALAS rating', () => {
      const severity = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }];
      const alas = entry({ ecosystem: 'Amazon Linux:2', databaseSpecific: { severity: 'low' } });
      expect(advisorySeverity(record({ severity }), alas)).toMatchObject({ vendor: 'cvss' });
    });

    it('says nothing for "not yet assigned"', () => {
      expect(
        advisorySeverity(record(), entry({ ecosystemSpecific: { urgency: 'not yet assigned' } })),
      ).toBeUndefined();
    });
  });
});

describe('severityOfScore', () => {
  it.each([
    [9.0, 'CRITICAL'],
    [8.9, 'HIGH'],
    [7.0, 'HIGH'],
    [6.9, 'MEDIUM'],
    [4.0, 'MEDIUM'],
    [3.9, 'LOW'],
    [0.1, 'LOW'],
    [0, 'UNKNOWN'],
  ])('%d → %s', (score, severity) => {
    expect(severityOfScore(score)).toBe(severity);
  });
});
