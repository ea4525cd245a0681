import { join } from 'node:path';
import type { Inventory, Package } from '../../shared/inventory/package';
import { purlOf } from '../../shared/inventory/purl';
import { vulnerabilityReport } from '../../shared/scan/stages';
import { importOsv, type ImportSource } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { ALAS_FIXTURES } from '../support/alas-mirror';
import { useTempDir } from '../support/temp';

const LAYER = `sha256:${'a'.repeat(64)}` as const;
const TODAY = new Date('2024-06-01T00:00:00Z');

/** An installed rpm as the rpm analyser gives it: `version-release`, the epoch in the purl. */
function rpm(os: Inventory['os'], name: string, evr: string): Package {
  const [, epoch, version] = /^(?:(\d+):)?(.+)$/.exec(evr)!;
  const osRelease = { id: os!.id, versionId: os!.versionId ?? undefined };
  return {
    name,
    version: version!,
    type: 'rpm',
    purl: purlOf(
      {
        type: 'rpm',
        name,
        version: version!,
        arch: 'x86_64',
        ...(epoch && { epoch: Number(epoch) }),
      },
      osRelease,
    ),
    source: null,
    licenses: [],
    layer: LAYER,
    path: 'var/lib/rpm/rpmdb.sqlite',
    ownedBy: null,
    dependencies: [],
    supplier: null,
  };
}

const amazonLinux = (versionId: string): Inventory['os'] => ({
  id: 'amzn',
  versionId,
  versionCodename: null,
  prettyName: `Amazon Linux ${versionId}`,
  eol: false,
  eolDate: null,
});

describe('vulnerabilityReport', () => {
  const dir = useTempDir();

  async function report(
    sources: readonly ImportSource[],
    os: Inventory['os'],
    packages: [string, string][],
  ) {
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    try {
      await importOsv(store, sources);
      const inventory: Inventory = {
        os,
        packages: packages.map(([n, v]) => rpm(os, n, v)),
        problems: [],
      };
      return await vulnerabilityReport(inventory, { store }, TODAY);
    } finally {
      store.close();
    }
  }

  const found = (r: Awaited<ReturnType<typeof report>>) =>
    r.vulnerabilities
      .map((v) => `${v.package} ${v.id} ${v.severity} ${v.fixedVersion} ${v.severitySource}`)
      .sort();

  describe('when ALAS data is imported', () => {
    it('matches an Amazon Linux 2023 image, with no advisory-source gap for its OS', async () => {
      const result = await report(
        [join(ALAS_FIXTURES, 'al2023-x86_64-updateinfo.xml')],
        amazonLinux('2023'),
        [
          ['openssl-libs', '1:3.0.8-1.amzn2023.0.2'],
          ['curl-minimal', '8.5.0-1.amzn2023.0.2'],
          ['bash', '5.2.15-1.amzn2023.0.2'],
        ],
      );
      expect(result.vulnerabilityProblems).toEqual([]);
      expect(found(result)).toEqual([
        'openssl-libs ALAS2023-2024-470 HIGH 1:3.0.8-1.amzn2023.0.11 amazon',
      ]);
    });

    it("flags an Amazon Linux 2 core kernel by core advisories only, not by another stream's", async () => {
      const result = await report(
        [
          join(ALAS_FIXTURES, 'al2-core-updateinfo.xml.gz'),
          {
            path: join(ALAS_FIXTURES, 'al2-extras-kernel-5.10-updateinfo.xml'),
            alas: { release: '2', topic: 'kernel-5.10' },
          },
        ],
        amazonLinux('2'),
        [
          ['kernel', '4.14.335-257.560.amzn2'],
          ['perf', '5.10.90-1.amzn2'],
        ],
      );
      expect(result.vulnerabilityProblems).toEqual([]);
      expect(found(result)).toEqual([
        'kernel ALAS2-2024-2447 HIGH 4.14.336-257.562.amzn2 amazon',
        'perf ALASKERNEL-5.10-2022-002 HIGH 5.10.93-54.144.amzn2 amazon',
      ]);
    });
  });

  describe('when the data holds no Amazon Linux advisories', () => {
    it('reports the OS as a no-advisory-source gap, not as nothing found', async () => {
      const result = await report(
        [join(__dirname, '..', 'fixtures', 'osv', 'valid')],
        amazonLinux('2023'),
        [['openssl-libs', '1:3.0.8-1.amzn2023.0.2']],
      );
      expect(result.vulnerabilities).toEqual([]);
      expect(result.vulnerabilityProblems).toEqual([
        expect.objectContaining({
          kind: 'no-advisory-source',
          ecosystem: 'Amazon Linux:2023',
          packages: 1,
        }),
      ]);
    });
  });
});
