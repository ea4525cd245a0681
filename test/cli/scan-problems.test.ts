import { clearance } from '../support/cli';
import { buildImage, writeOciLayout } from '../support/image-builder';
import { repeatedEntryTar, STACK_BREAKING_COUNT } from '../support/problem-layers';
import { useTempDir } from '../support/temp';

jest.setTimeout(60_000);

describe('clearance scan', () => {
  const dir = useTempDir();

  describe.each([
    ['entries that escape the image root', { name: '../../etc/cron.d/evil' }],
    ['hard links to nothing', { name: 'link', type: '1', linkname: '../../nowhere' }],
  ])('when a layer has hundreds of thousands of %s', (_, entry) => {
    it('reports the first problems and their number, and never calls it a bug', async () => {
      const tar = repeatedEntryTar(entry, STACK_BREAKING_COUNT, { name: 'ok', body: 'fine' });
      await writeOciLayout(dir(), { v1: await buildImage({ layers: [{ tar }] }) });
      const result = await clearance(['scan', '--format', 'json', `oci:${dir()}:v1`], {
        CLEARANCE_DB_DIR: `${dir()}/no-db`,
      });
      expect(result.stderr).not.toContain('this is a bug');
      expect(result.stdout.length).toBeLessThan(256 * 1024);
      const { problems } = result.json<{ problems: { reason: string }[] }>();
      expect(problems.length).toBeLessThanOrEqual(101);
      expect(problems.at(-1)!.reason).toBe(
        `… and ${STACK_BREAKING_COUNT - 100} more problems in this layer`,
      );
    });
  });
});
