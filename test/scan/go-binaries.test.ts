import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FunctionSet } from '../../shared/analyzers/go-functions';
import { policyDocument } from '../../shared/policy';
import { gateFailures } from '../../shared/scan/gate';
import { scanImage, vulnerabilityReport, withoutVulnerabilities } from '../../shared/scan';
import type { ScanReport } from '../../shared/scan/report';
import { openImageSource } from '../../shared/sources';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import { FIXTURES } from '../support/analyzer-fixtures';
import { GO_OSV } from '../support/go-findings';
import { buildImage, writeOciLayout, type LayerSpec } from '../support/image-builder';
import { scanDocumentSchemaErrors } from '../support/schemas';
import { useTempDir } from '../support/temp';

const TODAY = new Date('2026-11-23T00:00:00Z');
const binary = (path: string) => ({
  type: 'file' as const,
  content: readFileSync(join(FIXTURES, 'go', 'functions', path)),
  mode: 0o755,
});

describe('Go binaries in a scan', () => {
  const dir = useTempDir();

  async function scan(layers: LayerSpec[]): Promise<ScanReport> {
    await writeOciLayout(join(dir(), 'image'), { t: await buildImage({ layers }) });
    const store = LocalStore.open(join(dir(), 'db'), { create: true });
    try {
      await importOsv(store, [GO_OSV]);
      const [report] = await scanImage(openImageSource(`oci:${join(dir(), 'image')}:t`), {
        today: TODAY,
        vulnerabilities: { store },
      });
      return report!;
    } finally {
      store.close();
    }
  }
  const both: LayerSpec[] = [
    {
      files: {
        'usr/local/bin/small': binary('usr/local/bin/small'),
        'app/small.exe': binary('app/small.exe'),
      },
    },
  ];

  describe('when an image holds a linux/amd64 and a windows/arm64 binary', () => {
    it('reports each binary with its platform and functions', async () => {
      const report = await scan(both);
      expect(
        report.goBinaries?.map((b) => [b.path, `${b.goos}/${b.goarch}`, b.mainPackage]),
      ).toEqual([
        ['app/small.exe', 'windows/arm64', 'example.com/small'],
        ['usr/local/bin/small', 'linux/amd64', 'example.com/small'],
      ]);
      const set = FunctionSet.decode(report.goBinaries![1]!.functions!)!;
      expect(set.hasSymbol('net/url', 'Parse')).toBe(true);
    });

    it('keeps a Windows-only advisory open for the Windows binary alone', async () => {
      const report = await scan(both);
      const windowsOnly = report.vulnerabilities!.filter((f) => f.id === 'GO-2023-2185');
      expect(windowsOnly.map((f) => [f.path, f.suppressedBy?.kind ?? null])).toEqual([
        ['app/small.exe', null],
        ['usr/local/bin/small', 'not-applicable'],
      ]);
      const gated = gateFailures([report], 'UNKNOWN').filter((f) => f.id === 'GO-2023-2185');
      expect(gated.map((f) => f.path)).toEqual(['app/small.exe']);
    });

    it('gives the policy a document valid against its schema, applicability included', async () => {
      const document = policyDocument(await scan(both));
      expect(scanDocumentSchemaErrors(document)).toEqual([]);
      const findings = document.vulnerabilities as { applicability?: { symbols: string } }[];
      expect(findings.every((f) => f.applicability !== undefined)).toBe(true);
    });

    it('judges the findings alike when the stored report is matched again', async () => {
      const report = await scan(both);
      const stored = JSON.parse(JSON.stringify(withoutVulnerabilities(report))) as ScanReport;
      const store = LocalStore.open(join(dir(), 'db'));
      try {
        const again = await vulnerabilityReport(stored, { store }, TODAY);
        expect(again.vulnerabilities).toEqual(report.vulnerabilities);
      } finally {
        store.close();
      }
    });
  });

  describe('when a later layer replaces the binary with something else', () => {
    it('forgets the binary', async () => {
      const report = await scan([
        ...both,
        { files: { 'usr/local/bin/small': { type: 'file', content: '#!/bin/sh\n', mode: 0o755 } } },
      ]);
      expect(report.goBinaries?.map((b) => b.path)).toEqual(['app/small.exe']);
    });
  });

  describe('when the image holds no Go binary', () => {
    it('has no goBinaries part', async () => {
      const report = await scan([{ files: { 'etc/hostname': 'x\n' } }]);
      expect(report.goBinaries).toBeUndefined();
    });
  });
});
