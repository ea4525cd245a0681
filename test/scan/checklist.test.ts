import { join } from 'node:path';
import { parsePolicy, DEFAULT_POLICY } from '../../shared/policy';
import { scanImage } from '../../shared/scan';
import { openImageSource } from '../../shared/sources';
import { buildImage, writeOciLayout } from '../support/image-builder';
import { golden } from '../support/golden';
import { useTempDir } from '../support/temp';

const GOLDEN = join(__dirname, '..', 'fixtures', 'golden', 'checklist-report.json');
const TODAY = new Date('2026-11-29T00:00:00Z');
/** Built at run time, so that no token-shaped string is committed (the golden file shows it redacted). */
const TOKEN = ['ghp', '_', 'Zx9Wv8Ut7Sr6Qp5On4Ml3Kj2Ih1Gf0EdCbA9'].join('');

describe('the whole checklist on one image (golden report)', () => {
  const dir = useTempDir();

  it('gives the secrets, sensitive files, checks, compliance report and verdict on file', async () => {
    const image = await buildImage({
      layers: [
        {
          files: {
            'etc/os-release':
              'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
            'bin/sh': { type: 'file', content: '#!', mode: 0o755 },
            'usr/local/bin/helper': { type: 'file', content: 'x', mode: 0o4755 },
            'app/.env': `GITHUB_TOKEN=${TOKEN}\n`,
            'root/.bash_history': 'ls\n',
          },
          // Uncompressed: a gzip stream can differ between zlib versions, digests with it.
          compression: 'none',
        },
        { files: { 'app/.wh..env': '' }, compression: 'none' },
      ],
      config: {
        Env: ['PATH=/bin', 'DB_PASSWORD=s3cr3t-Passw0rd-1'],
        ExposedPorts: { '22/tcp': {} },
      },
      history: [
        { created_by: '/bin/sh -c apt-get update' },
        { created_by: 'ADD https://example.org/tool.tgz /opt/ # buildkit' },
      ],
    });
    await writeOciLayout(dir(), { t: image });
    const [report] = await scanImage(openImageSource(`oci:${dir()}:t`), {
      today: TODAY,
      secrets: true,
      checks: true,
      compliance: 'pci-dss',
      policy: parsePolicy(DEFAULT_POLICY, 'default'),
    });
    // The layout lives in a temporary directory: its path is the one thing that changes.
    const actual = { ...report!, image: { ...report!.image, reference: 'oci:IMAGE:t' } };
    expect(JSON.stringify(actual)).not.toContain(TOKEN);
    expect(actual).toEqual(golden(GOLDEN, actual));
  });
});
