import { join } from 'node:path';
import { LocalStore } from '../../shared/vulndb/local-store';
import { importOsv } from '../../shared/vulndb/import';
import { policyDocument } from '../../shared/policy';
import { scanImage } from '../../shared/scan';
import { openImageSource } from '../../shared/sources';
import { scanDocumentSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

const DEMO = `oci:${join(__dirname, '..', '..', 'examples', 'demo-image')}:latest`;
const TODAY = new Date('2026-11-29T00:00:00Z');

describe('policyDocument', () => {
  const dir = useTempDir();

  it('gives a real scan (vulnerabilities, secrets, checks) in the documented shape', async () => {
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    await importOsv(store, [join(__dirname, '..', '..', 'examples', 'osv')]);
    const [report] = await scanImage(openImageSource(DEMO), {
      platform: { os: 'linux', architecture: 'amd64' },
      today: TODAY,
      secrets: true,
      checks: true,
      vulnerabilities: { store },
    });
    store.close();
    const document = policyDocument(report!);
    expect((document.vulnerabilities as unknown[]).length).toBeGreaterThan(0);
    expect(scanDocumentSchemaErrors(document)).toEqual([]);
  });

  it('gives null for the parts a scan did not produce, and stays valid', async () => {
    const [report] = await scanImage(openImageSource(DEMO), {
      platform: { os: 'linux', architecture: 'arm64' },
      today: TODAY,
    });
    const document = policyDocument(report!);
    expect(document).toMatchObject({
      vulnerabilities: null,
      secrets: null,
      checks: null,
      signature: null,
    });
    expect(scanDocumentSchemaErrors(document)).toEqual([]);
  });

  it('is refused by the schema when a part is missing', () => {
    expect(scanDocumentSchemaErrors({ image: {} })).not.toEqual([]);
  });
});
