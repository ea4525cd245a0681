import { join } from 'node:path';
import { asffProblems, type AsffFinding } from '../../shared/securityhub';
import { clearance } from '../support/cli';

const DEMO = `oci:${join(__dirname, '..', '..', 'examples', 'demo-image')}:latest`;
const ENV = { SOURCE_DATE_EPOCH: '1795392000' }; // 2026-11-23

describe('clearance scan --format asff', () => {
  const scan = async (env: Record<string, string> = {}) => {
    const result = await clearance(['scan', '--format', 'asff', '--allow-incomplete', DEMO], {
      ...ENV,
      ...env,
    });
    return { ...result, findings: result.json<{ Findings: AsffFinding[] }>().Findings };
  };

  describe('when the image is a local layout with findings on both platforms', () => {
    it('prints BatchImportFindings input, every finding within ASFF limits', async () => {
      const { code, findings } = await scan();
      expect(code).toBe(0);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.flatMap(asffProblems)).toEqual([]);
      const architectures = new Set(
        findings.map((f) => f.Resources[0]!.Details.AwsEcrContainerImage.Architecture),
      );
      expect([...architectures].sort()).toEqual(['amd64', 'arm64']);
      expect(findings[0]!.Resources[0]!.Details.AwsEcrContainerImage).toMatchObject({
        RepositoryName: 'demo-image',
        ImageTags: ['latest'],
      });
      expect(findings[0]!.CreatedAt).toBe('2026-11-23T00:00:00.000Z');
    });

    it('names the placeholder account, or the one AWS_ACCOUNT_ID and AWS_REGION give', async () => {
      expect((await scan()).findings[0]!.ProductArn).toBe(
        'arn:aws:securityhub:us-east-1:000000000000:product/000000000000/default',
      );
      const given = await scan({ AWS_ACCOUNT_ID: '123456789012', AWS_REGION: 'eu-central-1' });
      expect(given.findings[0]).toMatchObject({
        AwsAccountId: '123456789012',
        Region: 'eu-central-1',
        ProductArn: 'arn:aws:securityhub:eu-central-1:123456789012:product/123456789012/default',
      });
    });

    it('gives the same ids on every scan of the image', async () => {
      const ids = (await scan()).findings.map((f) => f.Id);
      expect((await scan({ SOURCE_DATE_EPOCH: '1800000000' })).findings.map((f) => f.Id)).toEqual(
        ids,
      );
    });
  });
});
