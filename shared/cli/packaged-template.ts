import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './errors';

/** Where `npm pack` puts the synthesized stack, beside the bundle (scripts/package-template.ts). */
export const PACKAGED_TEMPLATE = 'Clearance.template.json';

/**
 * The template an installed package runs in `pipeline run`: the CDK app synthesized with
 * cdk.json's context when the package was packed. The app itself is not in the package, so
 * other context cannot be synthesized here.
 */
export async function packagedTemplate(
  dir: string,
  context: Readonly<Record<string, string>>,
): Promise<Readonly<Record<string, unknown>>> {
  if (Object.keys(context).length > 0)
    throw new UsageError(
      '--context needs the CDK app, which is in the clone, not in the installed package: run pipeline run from a clone, or give --template (cdk synth output)',
    );
  const file = join(dir, PACKAGED_TEMPLATE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(
        `this package holds no template (${file}): give --template (cdk synth output)`,
      );
    throw error;
  }
}
