import { join } from 'node:path';
import { localImageTarget } from '../../shared/local/image-opener';
import { matchPlatform, matchReport } from '../../shared/pipeline/match';
import { MatchedPlatform } from '../../shared/pipeline/states';
import { importOsv } from '../../shared/vulndb/import';
import { LocalStore } from '../../shared/vulndb/local-store';
import {
  DEMO_IMAGE,
  UNRELATED_OSV,
  assembleSteps,
  stepWorld,
  storedJson,
  type StepWorld,
} from '../support/scan-steps';
import { useTempDir } from '../support/temp';

describe('matchPlatform', () => {
  const dir = useTempDir();
  let world: StepWorld;

  beforeEach(async () => {
    world = await stepWorld(dir());
  });
  afterEach(() => world.vulnerabilities.close());

  async function assembled() {
    const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
    const {
      resolved,
      assembled: [first],
    } = await assembleSteps(image, world);
    return { scanId: resolved.scanId, assembled: first! };
  }

  describe('when the store has advisories for the packages', () => {
    it('writes the findings into the report and counts the unsuppressed ones by severity', async () => {
      const input = await assembled();
      const matched = await matchPlatform(input, world);
      const report = await storedJson(world.store, input.assembled.keys.report);

      expect(MatchedPlatform.parse(matched)).toEqual(matched);
      expect(report.vulnerabilities!.length).toBeGreaterThan(0);
      const open = report.vulnerabilities!.filter((f) => f.suppressedBy === null);
      expect(matched.counts).toEqual({
        critical: open.filter((f) => f.severity === 'CRITICAL').length,
        high: open.filter((f) => f.severity === 'HIGH').length,
        medium: open.filter((f) => f.severity === 'MEDIUM').length,
        low: open.filter((f) => f.severity === 'LOW').length,
        unknown: open.filter((f) => f.severity === 'UNKNOWN').length,
      });
      expect(Object.values(matched.counts).reduce((a, b) => a + b)).toBe(open.length);
      expect(matched).toMatchObject({
        ...input.assembled,
        dataVersion: (await world.vulnerabilities.dataVersion()).contentHash,
      });
      expect(report.database!.version).toBe(matched.dataVersion);
    });

    it('writes the same report when it runs again (a retried state)', async () => {
      const input = await assembled();
      const first = await matchPlatform(input, world);
      const bytes = await world.store.get(input.assembled.keys.report);

      expect(await matchPlatform(input, world)).toEqual(first);
      expect(await world.store.get(input.assembled.keys.report)).toEqual(bytes);
    });
  });

  describe('when the store has no advisory for the packages', () => {
    it('finds nothing, and says which data it used', async () => {
      const input = await assembled();
      const other = await unrelatedStore(join(dir(), 'other'));
      try {
        const matched = await matchPlatform(input, { ...world, vulnerabilities: other });
        expect(matched.counts).toEqual({ critical: 0, high: 0, medium: 0, low: 0, unknown: 0 });
        expect(matched.dataVersion).toBe((await other.dataVersion()).contentHash);
      } finally {
        other.close();
      }
    });
  });

  it('fails when the store is empty, rather than pass every image on no data', async () => {
    const input = await assembled();
    const before = await storedJson(world.store, input.assembled.keys.report);
    const empty = LocalStore.open(join(dir(), 'empty'), { create: true });
    try {
      await expect(
        matchPlatform(input, { ...world, vulnerabilities: empty }),
      ).rejects.toMatchObject({
        code: 'NO_VULNERABILITY_DATA',
        kind: 'input',
      });
      expect(await storedJson(world.store, input.assembled.keys.report)).toEqual(before);
    } finally {
      empty.close();
    }
  });
});

describe('matchReport', () => {
  const dir = useTempDir();

  it('replaces the findings of an earlier match with those of the current data', async () => {
    const world = await stepWorld(dir());
    const other = await unrelatedStore(join(dir(), 'other'));
    try {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const { assembled } = await assembleSteps(image, world);
      const report = await storedJson(world.store, assembled[0]!.keys.report);

      const before = await matchReport(report, { ...world, vulnerabilities: other });
      const after = await matchReport(before, world);

      expect(before.vulnerabilities).toEqual([]);
      expect(after.vulnerabilities!.length).toBeGreaterThan(0);
      expect(after.database!.version).not.toBe(before.database!.version);
      expect(await matchReport(after, { ...world, vulnerabilities: other })).toEqual(before);
    } finally {
      other.close();
      world.vulnerabilities.close();
    }
  });
});

/** A store whose only advisory names no package of the demo image. */
async function unrelatedStore(dir: string): Promise<LocalStore> {
  const store = LocalStore.open(dir, { create: true });
  await importOsv(store, [UNRELATED_OSV]);
  return store;
}
