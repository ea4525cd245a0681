import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The bundled CLI, where package.json's `bin` names it (what an installed package runs). */
export const CLI_BUNDLE = join(
  ROOT,
  (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { clearance: string } })
    .bin.clearance,
);

/** CI builds dist/ on `npm ci`; a checkout that never built gets it built here, or fails. */
export function buildCliIfMissing(): void {
  if (existsSync(CLI_BUNDLE)) return;
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
}
