// `npm pack` (prepack): the CDK app synthesized with cdk.json's context into the package, as the
// template an installed `clearance pipeline run` executes (shared/cli/packaged-template.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesizeTemplate } from '../lib/synthesize';
import { PACKAGED_TEMPLATE } from '../shared/cli/packaged-template';

const dir = join('dist', 'template');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, PACKAGED_TEMPLATE), JSON.stringify(synthesizeTemplate()));
