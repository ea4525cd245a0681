import { verdictNotification, type NotifiedScan } from '../../shared/notify/messages';
import { failingPlatform, recordInput, recordedScan } from '../support/pipeline-scans';
import { notificationSchemaErrors } from '../support/schemas';

const link = (key: string) => `s3://clearance-artifacts-123456789012/${key}`;

/** The failing platform with KEV and EPSS data: the HIGH express finding is in KEV. */
function rankedScan(): NotifiedScan {
  const platform = failingPlatform();
  const [critical, unfixed, high] = platform.topFindings;
  return recordedScan(
    recordInput([
      failingPlatform({
        kev: 1,
        topFindings: [
          { ...critical!, kev: false, epss: 0.02 },
          { ...unfixed!, kev: false },
          { ...high!, kev: true, epss: 0.5 },
        ],
      }),
    ]),
    { reasons: ['first scan: fail'], newSevereFindings: [], previousDecision: null },
  );
}

describe('verdictNotification, with KEV and EPSS data', () => {
  it('lists the top findings KEV first, then by EPSS, saying which are exploited', () => {
    const { body } = verdictNotification(rankedScan(), link);
    const lines = body.split('\n');
    const top = lines.indexOf('Top findings');
    expect(lines.slice(top + 1, top + 4)).toEqual([
      '  HIGH     GHSA-abcd-efgh-ijkl  express 4.17.1, fixed in 4.19.2; in CISA KEV, EPSS 50.0%',
      '  CRITICAL CVE-2026-0001        openssl 3.0.11-1~deb12u1, fixed in 3.0.15-1~deb12u1; EPSS 2.0%',
      '  CRITICAL CVE-2026-0002        zlib1g 1:1.2.13.dfsg-1, no fix yet',
    ]);
  });

  it('counts the KEV findings beside the severities', () => {
    const { body } = verdictNotification(rankedScan(), link);
    expect(body).toContain('1 in CISA KEV');
  });

  it('keeps kev and epss on the top findings of its JSON form, valid against its schema', () => {
    const { document } = verdictNotification(rankedScan(), link);
    expect(notificationSchemaErrors(document)).toEqual([]);
    expect((document as unknown as { topFindings: unknown[] }).topFindings[0]).toMatchObject({
      id: 'GHSA-abcd-efgh-ijkl',
      kev: true,
      epss: 0.5,
    });
  });
});
