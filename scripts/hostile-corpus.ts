/**
 * Writes the hostile-input corpus (malformed and hostile images, OSV data and policies) into a
 * directory, with `cases.json` listing each case's id, description, reference, expectation and
 * the commands it is fed to. Deterministic: the same bytes every run. About 1.5 GB of disk,
 * a minute or so. docs/hostile-corpus.md describes the cases;
 * test/integration/hostile-corpus.test.ts runs them through the CLI.
 *
 *   node scripts/run-ts.mjs scripts/hostile-corpus.ts OUTDIR [CASE_ID …]
 */
import { CASES, writeCorpus } from '../test/support/hostile';

async function main(): Promise<number> {
  const [root, ...only] = process.argv.slice(2);
  if (root === undefined || root.startsWith('-')) {
    process.stderr.write(
      'usage: node scripts/run-ts.mjs scripts/hostile-corpus.ts OUTDIR [CASE_ID …]\n',
    );
    return 2;
  }
  const unknown = only.filter((id) => !CASES.some((c) => c.id === id));
  if (unknown.length > 0) {
    process.stderr.write(`unknown case ids: ${unknown.join(', ')}\n`);
    return 2;
  }
  const entries = await writeCorpus(root, {
    ...(only.length > 0 && { only }),
    progress: (id, ms) => process.stderr.write(`  ${id}  ${ms} ms\n`),
  });
  process.stdout.write(`${entries.length} cases in ${root} (see ${root}/cases.json)\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `hostile-corpus: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
