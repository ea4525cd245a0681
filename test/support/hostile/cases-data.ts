/**
 * Vulnerability data and policies: malformed OSV records and exports for `db import`, and
 * policies and saved reports that cannot be judged for `scan --policy` and `policy test`.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GiB, MiB, nestedArrays, pseudoRandom } from './bytes';
import { dataCase, type DataCommand, type HostileCase } from './case';
import { deflatedZeros, zipOf, type ZipEntry } from './zip';

const MODIFIED = '2026-11-01T00:00:00Z';

/** A well-formed record, so that an import has something to keep besides the bad ones. */
function goodRecord(id: string): string {
  return JSON.stringify({
    schema_version: '1.6.0',
    id,
    modified: MODIFIED,
    summary: 'hostile corpus: a well-formed record beside the bad ones',
    affected: [
      {
        package: { ecosystem: 'Debian:12', name: 'hostile-corpus-package' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }],
      },
    ],
  });
}

/** A directory of OSV files: a good one and `files`. */
function osvDirectory(
  id: string,
  description: string,
  files: () => Promise<Record<string, string | Buffer>> | Record<string, string | Buffer>,
  malformedAtLeast?: number,
): HostileCase {
  return dataCase({
    id,
    description,
    file: 'records',
    commands: ['db-import'],
    ...(malformedAtLeast !== undefined && { malformedAtLeast }),
    async write(dir) {
      const records = join(dir, 'records');
      await mkdir(records);
      await writeFile(join(records, 'GOOD-0001.json'), goodRecord('GOOD-0001'));
      for (const [name, content] of Object.entries(await files()))
        await writeFile(join(records, name), content);
    },
  });
}

/** An ecosystem export `all.zip`. */
function osvZip(
  id: string,
  description: string,
  bytes: () => Promise<Buffer> | Buffer,
  malformedAtLeast?: number,
): HostileCase {
  return dataCase({
    id,
    description,
    file: 'all.zip',
    commands: ['db-import'],
    ...(malformedAtLeast !== undefined && { malformedAtLeast }),
    async write(dir) {
      await writeFile(join(dir, 'all.zip'), await bytes());
    },
  });
}

const good = (name: string): ZipEntry => ({
  name,
  data: Buffer.from(goodRecord(name.replace(/\W/g, '-'))),
});

/** A policy file fed to `scan --policy` and `policy test`. */
function policy(id: string, description: string, text: () => string | Buffer): HostileCase {
  return dataCase({
    id,
    description,
    file: 'policy.yaml',
    commands: ['scan-policy', 'policy-test'],
    async write(dir) {
      await writeFile(join(dir, 'policy.yaml'), text());
    },
  });
}

/** A saved report fed to `policy test default --input`. */
function report(id: string, description: string, text: () => string | Buffer): HostileCase {
  const commands: DataCommand[] = ['policy-input'];
  return dataCase({
    id,
    description,
    file: 'report.json',
    commands,
    async write(dir) {
      await writeFile(join(dir, 'report.json'), text());
    },
  });
}

/** "Billion laughs": nine levels of aliases, each ten of the level below. */
function billionLaughs(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level <= 9; level++)
    lines.push(
      `a${level}: &a${level} [${Array.from({ length: 10 }, () => `*a${level - 1}`).join(',')}]`,
    );
  return `name: laughs\n${lines.join('\n')}\nrules:\n  - id: r\n    expression: "true"\n    description: *a9\n`;
}

/** A rule whose expression is `bytes` long: `true && true && …`. */
function hugeExpression(bytes: number): string {
  return `name: huge\nrules:\n  - id: huge\n    expression: "${'true && '.repeat(Math.floor(bytes / 8))}true"\n`;
}

/** Four nested comprehensions over 100 items: 10^8 evaluations of a predicate that holds. */
function costBomb(): string {
  const list = `[${Array.from({ length: 100 }, (_, i) => i).join(',')}]`;
  const expression = `${list}.all(a, ${list}.all(b, ${list}.all(c, ${list}.all(d, a + b + c + d >= 0))))`;
  return `name: cost\nrules:\n  - id: cost\n    expression: "${expression}"\n`;
}

export const DATA_CASES: readonly HostileCase[] = [
  osvDirectory(
    'osv-not-json',
    'an OSV file that is not JSON',
    () => ({ 'BAD-0001.json': 'this is {not json' }),
    1,
  ),
  osvDirectory(
    'osv-wrong-schema',
    'an OSV record: id is a number, affected a string, modified "yesterday"',
    () => ({
      'BAD-0002.json': JSON.stringify({ id: 5, modified: 'yesterday', affected: 'everything' }),
    }),
    1,
  ),
  osvDirectory(
    'osv-deep-nesting',
    'an OSV record whose affected is 100,000 nested arrays',
    () => ({
      'BAD-0003.json': `{"id":"BAD-0003","modified":"${MODIFIED}","affected":${nestedArrays(100_000)}}`,
    }),
    1,
  ),
  osvDirectory('osv-huge-ranges', 'an OSV record with one range of 400,000 events (12 MB)', () => ({
    'HUGE-0001.json': JSON.stringify({
      id: 'HUGE-0001',
      modified: MODIFIED,
      affected: [
        {
          package: { ecosystem: 'Debian:12', name: 'base-files' },
          ranges: [
            {
              type: 'ECOSYSTEM',
              events: Array.from({ length: 400_000 }, (_, i) =>
                i % 2 === 0 ? { introduced: `1.${i}` } : { fixed: `1.${i}` },
              ),
            },
          ],
        },
      ],
    }),
  })),
  osvDirectory(
    'osv-huge-record',
    'an OSV record of 20 MiB (its details)',
    () => ({
      'HUGE-0002.json': JSON.stringify({
        id: 'HUGE-0002',
        modified: MODIFIED,
        details: 'd'.repeat(20 * MiB),
      }),
    }),
    1,
  ),
  dataCase({
    id: 'osv-dev-zero',
    description: 'a .json file in the data directory that is a symbolic link to /dev/zero',
    file: 'records',
    commands: ['db-import'],
    malformedAtLeast: 1,
    async write(dir) {
      await mkdir(join(dir, 'records'));
      await writeFile(join(dir, 'records', 'GOOD-0001.json'), goodRecord('GOOD-0001'));
      await symlink('/dev/zero', join(dir, 'records', 'ZERO-0001.json'));
    },
  }),
  osvZip(
    'osv-zip-traversal',
    'an all.zip whose entries are ../../escape.json and /abs/evil.json',
    () => zipOf([good('../../escape.json'), good('/abs/evil.json'), good('ok.json')]),
  ),
  osvZip(
    'osv-zip-bomb-lying-size',
    'an all.zip entry claiming 100 bytes that inflates to 256 MiB',
    async () =>
      zipOf([
        good('ok.json'),
        { name: 'bomb.json', deflated: await deflatedZeros(256 * MiB), claimedSize: 100 },
      ]),
    1,
  ),
  osvZip(
    'osv-zip-bomb',
    'an all.zip entry of 1 GiB of zeros (1 MB deflated)',
    async () => zipOf([good('ok.json'), { name: 'bomb.json', deflated: await deflatedZeros(GiB) }]),
    1,
  ),
  osvZip(
    'osv-zip-not-zip',
    'all.zip is 64 KiB of random bytes',
    () => pseudoRandom('all.zip', 64 * 1024),
    1,
  ),
  osvZip(
    'osv-zip-truncated',
    'all.zip cut off at 60% (no central directory)',
    () => {
      const zip = zipOf([good('a.json'), good('b.json'), good('c.json')]);
      return zip.subarray(0, Math.floor(zip.length * 0.6));
    },
    1,
  ),
  osvZip(
    'osv-zip-60k-empty-records',
    'an all.zip of 60,000 entries that are each {}',
    () =>
      zipOf(
        Array.from({ length: 60_000 }, (_, i) => ({
          name: `E-${i}.json`,
          data: Buffer.from('{}'),
        })),
      ),
    60_000,
  ),
  policy(
    'policy-billion-laughs',
    'a policy that is a YAML alias bomb (10^9 "lol"s)',
    billionLaughs,
  ),
  policy('policy-not-yaml', 'a policy of random bytes', () => pseudoRandom('policy', 8 * 1024)),
  policy('policy-10mb-expression', 'a rule whose expression is 10 MB of `true && …`', () =>
    hugeExpression(10 * MiB),
  ),
  policy(
    'policy-not-cel',
    'rules whose expressions are SQL and unbalanced parentheses',
    () =>
      'name: not-cel\nrules:\n  - id: sql\n    expression: "SELECT * FROM packages;"\n  - id: parens\n    expression: "((((size(packages) > 0"\n',
  ),
  policy(
    'policy-wrong-types',
    'rules is a list of a number and a rule whose id is a list',
    () => 'name: [1, 2]\nrules:\n  - 5\n  - id: [a, b]\n    expression: 7\n    action: explode\n',
  ),
  policy(
    'policy-deep-nesting',
    'a policy of 100,000 nested YAML flow sequences',
    () => `rules: ${nestedArrays(100_000)}\n`,
  ),
  policy(
    'policy-cel-cost-bomb',
    'a rule of four nested comprehensions: 10^8 evaluations',
    costBomb,
  ),
  policy('policy-empty', 'an empty policy file', () => ''),
  policy(
    'policy-on-error-unknown',
    'onError: ignore, with a rule that does not compile',
    () => 'name: lenient\nonError: ignore\nrules:\n  - id: broken\n    expression: "1 +"\n',
  ),
  report('report-not-json', 'a saved report of random bytes', () => pseudoRandom('report', 4096)),
  report('report-wrong-types', 'a saved report whose image is a string and packages a number', () =>
    JSON.stringify({
      schemaVersion: 1,
      image: 'x',
      packages: 5,
      vulnerabilities: 'none',
      checks: {},
    }),
  ),
  report(
    'report-deep-nesting',
    'a saved report whose packages is 100,000 nested arrays',
    () =>
      `{"schemaVersion":1,"image":{"reference":"x","digest":"sha256:0"},"packages":${nestedArrays(100_000)}}`,
  ),
];
