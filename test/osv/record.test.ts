import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOsvRecord } from '../../shared/osv/record';
import { parseJson } from '../../shared/core/json';
import { osvSchemaErrors } from '../support/schemas';

const FIXTURES = join(__dirname, '..', 'fixtures', 'osv');
const files = (dir: string) => readdirSync(join(FIXTURES, dir)).sort();
const load = (dir: string, file: string) => parseJson(readFileSync(join(FIXTURES, dir, file)));
const valid = (file: string) => {
  const parsed = parseOsvRecord((load('valid', file) as { value: unknown }).value);
  if ('reason' in parsed) throw new Error(parsed.reason);
  return parsed;
};

describe('parseOsvRecord', () => {
  describe('the fixture records', () => {
    it.each([
      ...files('valid').map((f) => ['valid', f]),
      ...files('e2e').map((f) => ['e2e', f]),
      ...files('go').map((f) => ['go', f]),
    ])('%s/%s is valid against the official OSV schema', (dir, file) => {
      expect(osvSchemaErrors((load(dir, file) as { value: unknown }).value)).toEqual([]);
    });
  });

  describe('when a record is well formed', () => {
    it('reads id, times, aliases, severity and the affected entries', () => {
      const { record } = valid('GHSA-jfh8-c2jp-5v3q.json');
      expect(record).toMatchObject({
        id: 'GHSA-jfh8-c2jp-5v3q',
        modified: '2024-10-01T12:00:00Z',
        aliases: ['CVE-2021-44228'],
        severity: [{ type: 'CVSS_V3', score: expect.stringMatching(/^CVSS:3\.1\//) }],
        databaseSpecific: { severity: 'CRITICAL' },
      });
      expect(record.affected[0]).toMatchObject({
        ecosystem: 'Maven',
        name: 'org.apache.logging.log4j:log4j-core',
        ranges: [
          {
            type: 'ECOSYSTEM',
            events: [
              { kind: 'introduced', version: '2.13.0' },
              { kind: 'fixed', version: '2.15.0' },
            ],
          },
          {
            type: 'ECOSYSTEM',
            events: [
              { kind: 'introduced', version: '2.0-beta9' },
              { kind: 'last_affected', version: '2.12.1' },
            ],
          },
        ],
      });
    });

    it('keeps upstream, ecosystem_specific and the withdrawn time', () => {
      expect(valid('DEBIAN-CVE-2024-2511.json').record).toMatchObject({
        upstream: ['CVE-2024-2511'],
        affected: [{ ecosystemSpecific: { urgency: 'not yet assigned' } }],
      });
      expect(valid('RUSTSEC-2020-0071.json').record.withdrawn).toBe('2024-01-01T00:00:00Z');
    });

    it('skips GIT ranges and counts them', () => {
      const parsed = valid('GO-2024-2687.json');
      expect(parsed.gitRanges).toBe(1);
      expect(parsed.record.affected[0]!.ranges.map((r) => r.type)).toEqual(['SEMVER']);
    });

    it('reads a versions-only entry and a limit event', () => {
      expect(valid('GHSA-versions-only.json').record.affected[0]).toMatchObject({
        ranges: [],
        versions: ['1.0.0', '1.0.1'],
      });
      expect(valid('GHSA-limit-0001.json').record.affected[0]!.ranges[0]!.events).toContainEqual({
        kind: 'limit',
        version: '3.0.0',
      });
    });
  });

  describe('when a Go record limits its packages (ecosystem_specific.imports)', () => {
    const go = (imports: unknown) => {
      const record = {
        id: 'GO-2023-2185',
        modified: '2024-05-20T16:03:47Z',
        affected: [
          {
            package: { ecosystem: 'Go', name: 'stdlib' },
            ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.20.11' }] }],
            ecosystem_specific: { imports },
          },
        ],
      };
      const parsed = parseOsvRecord(record);
      if ('reason' in parsed) throw new Error(parsed.reason);
      return parsed.record.affected[0]!.goImports;
    };

    it('reads each package with its platforms and symbols', () => {
      const file = load('go', 'GO-2023-2185.json') as { value: unknown };
      const parsed = parseOsvRecord(file.value);
      if ('reason' in parsed) throw new Error(parsed.reason);
      expect(parsed.record.affected[0]!.goImports).toEqual([
        expect.objectContaining({ path: 'path/filepath', goos: ['windows'] }),
        { path: 'internal/safefilepath', goos: ['windows'], symbols: ['FromFS', 'fromFS'] },
      ]);
    });

    it('reads a package without limits as the whole package, everywhere', () => {
      expect(go([{ path: 'runtime' }])).toEqual([{ path: 'runtime' }]);
      expect(go([{ path: 'os', goos: [], symbols: null }])).toEqual([{ path: 'os' }]);
    });

    it.each([
      ['not a list', { path: 'x' }],
      ['an empty list', []],
      ['an import without a path', [{ path: 'x' }, { symbols: ['F'] }]],
      ['a goos that is no list of names', [{ path: 'x', goos: 'windows' }]],
      ['a symbol that is not a name', [{ path: 'x', symbols: ['F', 3] }]],
    ])('reads none from %s: the whole module is then affected', (_, imports) => {
      expect(go(imports)).toBeUndefined();
    });
  });

  describe('when a record is malformed', () => {
    it.each([
      ['array.json', /^not a JSON object$/],
      ['no-id.json', /^no id$/],
      ['bad-modified.json', /^X-2: no valid "modified" time$/],
      ['event-two-kinds.json', /^X-3: affected\[0\]: an event that is not exactly one of/],
      ['no-introduced.json', /^X-4: affected\[0\]: a range without "introduced"$/],
      ['no-package.json', /^X-5: affected\[0\]: no package ecosystem and name$/],
    ])('gives a reason for %s, and does not throw', (file, reason) => {
      const json = load('malformed', file) as { value: unknown };
      expect(parseOsvRecord(json.value)).toEqual({ reason: expect.stringMatching(reason) });
    });

    const record = (fields: object) => ({ id: 'X-9', modified: '2024-01-01T00:00:00Z', ...fields });
    const entry = (fields: object) => ({ package: { ecosystem: 'npm', name: 'a' }, ...fields });
    it.each([
      ['"affected" that is not a list', { affected: {} }, 'X-9: "affected" is not a list'],
      [
        'an entry that is not an object',
        { affected: [entry({}), 'x'] },
        'X-9: affected[1]: not an object',
      ],
      [
        'a range that is not an object',
        { affected: [entry({ ranges: [3] })] },
        'X-9: affected[0]: a range is not an object',
      ],
      [
        'a range of an unknown type',
        { affected: [entry({ ranges: [{ type: 'GIT2', events: [] }] })] },
        'X-9: affected[0]: unknown range type "GIT2"',
      ],
      [
        'a range without events',
        { affected: [entry({ ranges: [{ type: 'SEMVER', events: [] }] })] },
        'X-9: affected[0]: a range without events',
      ],
      [
        'an event with an empty version',
        { affected: [entry({ ranges: [{ type: 'SEMVER', events: [{ introduced: '' }] }] })] },
        'X-9: affected[0]: an event that is not exactly one of introduced, fixed, last_affected, limit',
      ],
    ])('gives a reason for %s', (_, fields, reason) => {
      expect(parseOsvRecord(record(fields))).toEqual({ reason });
    });

    it('leaves out what it only reports when it is not of its type', () => {
      const parsed = parseOsvRecord(
        record({
          aliases: ['CVE-1', 7, ''],
          related: 'x',
          summary: '',
          severity: [{ type: 'CVSS_V3' }, { type: 'Ubuntu', score: 'high' }, null],
          database_specific: [],
          affected: [entry({ ranges: 'none', versions: ['1.0', null], ecosystem_specific: 'x' })],
        }),
      );
      if ('reason' in parsed) throw new Error(parsed.reason);
      expect(parsed.record).toEqual({
        id: 'X-9',
        modified: '2024-01-01T00:00:00Z',
        aliases: ['CVE-1', ''],
        related: [],
        upstream: [],
        severity: [{ type: 'Ubuntu', score: 'high' }],
        affected: [{ ecosystem: 'npm', name: 'a', severity: [], ranges: [], versions: ['1.0'] }],
      });
    });

    it('leaves JSON that does not parse to the reader', () => {
      expect(load('malformed', 'not-json.json')).toEqual({
        reason: expect.stringMatching(/^invalid JSON/),
      });
    });
  });
});
