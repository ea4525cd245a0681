import type { ScanReport } from '../../shared/scan/report';
import { matchGoFixtures } from './go-findings';

/** A scan report of an image holding the go/functions binaries, matched with the Go records. */
export async function goScanReport(dir: string, paths: readonly string[]): Promise<ScanReport> {
  const matched = await matchGoFixtures(dir, paths);
  return {
    schemaVersion: 1,
    image: {
      reference: 'oci:go-app',
      digest: `sha256:${'c'.repeat(64)}`,
      platform: 'linux/amd64',
      manifestDigest: `sha256:${'c'.repeat(64)}`,
    },
    os: null,
    packages: matched.packages,
    problems: [],
    goBinaries: matched.goBinaries,
    vulnerabilities: matched.findings,
    database: { version: 'sha256:0', updatedAt: null, newestModified: null },
    vulnerabilityProblems: [],
    expiredIgnores: [],
  };
}
