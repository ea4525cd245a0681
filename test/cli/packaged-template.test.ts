import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGED_TEMPLATE, packagedTemplate } from '../../shared/cli';
import { UsageError } from '../../shared/cli/errors';

describe('packagedTemplate (what an installed `pipeline run` executes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clearance-template-'));
  writeFileSync(join(dir, PACKAGED_TEMPLATE), '{"Resources":{}}');

  it('is the template packed beside the bundle', async () => {
    await expect(packagedTemplate(dir, {})).resolves.toEqual({ Resources: {} });
  });

  it('refuses --context, which needs the CDK app of a clone', async () => {
    await expect(packagedTemplate(dir, { 'clearance:x': '1' })).rejects.toThrow(
      new UsageError(
        '--context needs the CDK app, which is in the clone, not in the installed package: run pipeline run from a clone, or give --template (cdk synth output)',
      ),
    );
  });

  it('says so when the package holds none', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'clearance-template-'));
    await expect(packagedTemplate(empty, {})).rejects.toThrow(
      `this package holds no template (${join(empty, PACKAGED_TEMPLATE)}): give --template (cdk synth output)`,
    );
  });
});
