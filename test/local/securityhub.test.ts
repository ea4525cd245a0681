import { join } from 'node:path';
import { LocalFindingsHub } from '../../shared/local/securityhub';
import { asffFindings, defaultProductArn, imageResourceId } from '../../shared/securityhub';
import { MANIFEST, TARGET, scanReport } from '../securityhub/report-fixture';
import { useTempDir } from '../support/temp';

describe('LocalFindingsHub', () => {
  const dir = useTempDir();
  const scope = {
    productArn: defaultProductArn(TARGET),
    resourceIds: [imageResourceId(TARGET, MANIFEST)],
  };
  const all = asffFindings(scanReport(), TARGET);
  const later = asffFindings(scanReport(), { ...TARGET, observedAt: '2026-12-08T00:00:00.000Z' });

  describe('when a finding is gone from a re-scan', () => {
    it('archives and resolves it, and makes it active and NEW when it comes back', async () => {
      const hub = new LocalFindingsHub(join(dir(), 'securityhub.json'));
      await hub.publish(all, scope);
      expect(await hub.publish(later.slice(1), scope)).toMatchObject({ archived: 1 });
      expect(hub.read()[all[0]!.Id]).toMatchObject({
        RecordState: 'ARCHIVED',
        Workflow: { Status: 'RESOLVED' },
        UpdatedAt: '2026-12-08T00:00:00.000Z',
      });
      await hub.publish(later, scope);
      expect(hub.read()[all[0]!.Id]).toMatchObject({
        RecordState: 'ACTIVE',
        Workflow: { Status: 'NEW' },
        FirstObservedAt: TARGET.observedAt,
      });
    });
  });

  describe('when another image is published', () => {
    it('archives nothing of this one', async () => {
      const hub = new LocalFindingsHub(join(dir(), 'securityhub.json'));
      await hub.publish(all, scope);
      const other = {
        ...scope,
        resourceIds: [imageResourceId(TARGET, `sha256:${'e'.repeat(64)}`)],
      };
      expect(await hub.publish([], other)).toMatchObject({ archived: 0 });
    });
  });
});
