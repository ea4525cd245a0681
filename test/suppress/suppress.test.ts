import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../shared/match/finding';
import { applySuppressions } from '../../shared/suppress/apply';
import { SuppressionError } from '../../shared/suppress/errors';
import { parseIgnoreFile } from '../../shared/suppress/ignore-file';
import { purlMatches } from '../../shared/suppress/purl-match';
import { parseVex } from '../../shared/suppress/vex';
import { openVexSchemaErrors } from '../support/schemas';

const VEX_FILE = join(__dirname, '..', 'fixtures', 'vex', 'payments-api.openvex.json');
const vexDocument = () => JSON.parse(readFileSync(VEX_FILE, 'utf8')) as unknown;
const TODAY = new Date('2026-11-23T10:00:00Z');

const finding = (id: string, purl: string, aliases: string[] = []): Finding => ({
  id,
  aliases,
  purl,
  package: 'x',
  installedVersion: '1',
  fixedVersion: null,
  status: 'not-fixed',
  severity: 'HIGH',
  cvss: null,
  severitySource: 'cvss',
  source: 'OSV:npm',
  summary: null,
  layer: `sha256:${'a'.repeat(64)}`,
  path: 'p',
  suppressedBy: null,
});

describe('purlMatches', () => {
  it.each([
    ['pkg:npm/semver', 'pkg:npm/semver@7.5.1', true],
    ['pkg:npm/semver@7.5.1', 'pkg:npm/semver@7.5.1', true],
    ['pkg:npm/semver@7.5.2', 'pkg:npm/semver@7.5.1', false],
    ['pkg:deb/debian/libssl3', 'pkg:deb/debian/libssl3@3.0.11-1?arch=amd64&distro=debian-12', true],
    ['pkg:deb/debian/libssl3?arch=arm64', 'pkg:deb/debian/libssl3@3?arch=amd64', false],
    ['pkg:deb/ubuntu/libssl3', 'pkg:deb/debian/libssl3@3', false],
    ['pkg:npm/%40scope/a', 'pkg:npm/%40scope/a@1.0.0', true],
    ['not a purl', 'pkg:npm/a@1', false],
  ])('%s names %s → %s', (pattern, purl, expected) => {
    expect(purlMatches(pattern, purl)).toBe(expected);
  });
});

describe('parseVex', () => {
  it('reads a document valid against the official OpenVEX schema', () => {
    expect(openVexSchemaErrors(vexDocument())).toEqual([]);
    const statements = parseVex(vexDocument(), 'payments.vex');
    expect(statements[0]).toEqual({
      vulnerabilities: ['CVE-2023-5363'],
      purls: ['pkg:deb/debian/libssl3'],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      timestamp: '2024-10-02T09:00:00Z',
      source: 'payments.vex',
    });
    expect(statements[3]!.purls).toEqual(['pkg:maven/org.apache.logging.log4j/log4j-core']);
  });

  it.each([
    [{}, /"@context"/],
    [{ '@context': 'https://openvex.dev/ns/v0.2.0' }, /no "statements"/],
    [
      {
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          {
            vulnerability: { name: 'X' },
            products: [{ '@id': 'pkg:npm/a' }],
            status: 'not_affected',
          },
        ],
      },
      /statements\[0\]: not_affected needs a justification/,
    ],
    [
      {
        '@context': 'https://openvex.dev/ns/v0.2.0',
        statements: [
          { vulnerability: { name: 'X' }, products: [{ '@id': 'pkg:npm/a' }], status: 'maybe' },
        ],
      },
      /unknown status maybe/,
    ],
  ])('fails on a document that is not usable (%#)', (document, reason) => {
    expect(() => parseVex(document, 'bad.vex')).toThrow(SuppressionError);
    expect(() => parseVex(document, 'bad.vex')).toThrow(reason);
  });

  describe('when statements are read', () => {
    const vex = (statements: unknown[]) => ({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      timestamp: '2024-01-01T00:00:00Z',
      statements,
    });
    const statement = (fields: object) => ({
      vulnerability: { name: 'CVE-1' },
      products: [{ '@id': 'pkg:npm/a' }],
      status: 'affected',
      ...fields,
    });

    it('takes the subcomponents of a product that lists them, and the document time', () => {
      const [read] = parseVex(
        vex([
          statement({
            vulnerability: { name: 'CVE-1', aliases: ['GHSA-1', 3] },
            products: [
              'x',
              {
                '@id': 'pkg:oci/app',
                subcomponents: [{ '@id': 'pkg:npm/b', identifiers: { purl: 'pkg:npm/c' } }, 5],
              },
              { '@id': 'https://example.com/d', identifiers: { purl: 'pkg:npm/d' } },
            ],
          }),
        ]),
        'f.vex',
      );
      expect(read).toEqual({
        vulnerabilities: ['CVE-1', 'GHSA-1'],
        purls: ['pkg:npm/b', 'pkg:npm/c', 'pkg:npm/d'],
        status: 'affected',
        timestamp: '2024-01-01T00:00:00Z',
        source: 'f.vex',
      });
    });

    it.each([
      ['a document that is no object', [], 'not a JSON object'],
      ['a statement that is no object', vex([statement({}), 'x']), 'statements[1]: not an object'],
      [
        'a statement without a vulnerability name',
        vex([statement({ vulnerability: { name: 7 } })]),
        'statements[0]: no vulnerability name',
      ],
      [
        'a statement without a purl',
        vex([statement({ products: [{ '@id': 'https://example.com' }] })]),
        'statements[0]: no product with a purl',
      ],
    ])('fails on %s', (_, document, reason) => {
      expect(() => parseVex(document, 'bad.vex')).toThrow(
        `bad.vex: not an OpenVEX 0.2 document: ${reason}`,
      );
    });
  });
});

describe('parseIgnoreFile', () => {
  it('reads entries with optional purl and expiry', () => {
    const text = [
      'ignore:',
      '  - id: CVE-2023-5363',
      '    purl: pkg:deb/debian/libssl3',
      '    reason: cipher mode unused',
      '    owner: team-payments',
      '    expires: 2027-01-31',
      '  - id: GHSA-c2qf-rxjj-qqgw',
      '    reason: dev tooling only',
      '    owner: team-web',
    ].join('\n');
    expect(parseIgnoreFile(text, '.clearanceignore.yaml')).toEqual([
      {
        id: 'CVE-2023-5363',
        purl: 'pkg:deb/debian/libssl3',
        reason: 'cipher mode unused',
        owner: 'team-payments',
        expires: '2027-01-31',
      },
      { id: 'GHSA-c2qf-rxjj-qqgw', reason: 'dev tooling only', owner: 'team-web' },
    ]);
  });

  it('accepts an empty file', () => {
    expect(parseIgnoreFile('', 'f')).toEqual([]);
  });

  it.each([
    ['ignore: [', /not YAML/],
    ['- id: X', /top-level "ignore:" list/],
    ['ignore:\n  - reason: r\n    owner: o', /ignore\[0\]: no "id"/],
    ['ignore:\n  - id: X\n    owner: o', /ignore\[0\]: X: no "reason"/],
    ['ignore:\n  - id: X\n    reason: r', /ignore\[0\]: X: no "owner"/],
    [
      'ignore:\n  - id: X\n    reason: r\n    owner: o\n    expires: next year',
      /"expires" is not a YYYY-MM-DD date/,
    ],
  ])('fails on %j', (text, reason) => {
    expect(() => parseIgnoreFile(text, '.clearanceignore.yaml')).toThrow(reason);
  });

  it('trims its text and reads an unquoted date', () => {
    expect(
      parseIgnoreFile(
        "ignore:\n  - { id: ' X ', reason: r, owner: o, expires: 2027-01-31, purl: 5 }",
        'f',
      ),
    ).toEqual([{ id: 'X', reason: 'r', owner: 'o', expires: '2027-01-31' }]);
  });

  it('fails on an entry that is not a mapping', () => {
    expect(() => parseIgnoreFile('ignore:\n  - CVE-1', 'f')).toThrow('f: ignore[0]: not a mapping');
  });
});

describe('applySuppressions', () => {
  const vex = parseVex(vexDocument(), 'payments.vex');

  it('suppresses by a not_affected statement on a subcomponent, any version', () => {
    const [f] = applySuppressions(
      [
        finding('DSA-5532-1', 'pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64', [
          'CVE-2023-5363',
        ]),
      ],
      { vex, ignores: [] },
      TODAY,
    ).findings;
    expect(f!.suppressedBy).toEqual({
      kind: 'vex',
      reason: 'not_affected: vulnerable_code_not_in_execute_path (payments.vex)',
    });
  });

  it('lets the latest statement win, matched through aliases', () => {
    const [f] = applySuppressions(
      [finding('GHSA-c2qf-rxjj-qqgw', 'pkg:npm/semver@7.5.1', ['CVE-2022-25883'])],
      { vex, ignores: [] },
      TODAY,
    ).findings;
    expect(f!.suppressedBy).toMatchObject({ kind: 'vex', reason: expect.stringMatching(/^fixed/) });
  });

  it('does not suppress on an affected statement', () => {
    const [f] = applySuppressions(
      [
        finding('GHSA-jfh8-c2jp-5v3q', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', [
          'CVE-2021-44228',
        ]),
      ],
      { vex, ignores: [] },
      TODAY,
    ).findings;
    expect(f!.suppressedBy).toBeNull();
  });

  it('suppresses by a live ignore entry, and reports expired ones without applying them', () => {
    const ignores = [
      { id: 'CVE-1', purl: 'pkg:npm/a*', reason: 'r1', owner: 'o1', expires: '2026-11-23' },
      { id: 'CVE-2', reason: 'r2', owner: 'o2', expires: '2026-11-22' },
    ];
    const result = applySuppressions(
      [
        finding('GHSA-1', 'pkg:npm/abc@1', ['CVE-1']),
        finding('GHSA-2', 'pkg:npm/b@1', ['CVE-2']),
        finding('GHSA-3', 'pkg:npm/zzz@1', ['CVE-1']),
      ],
      { vex: [], ignores },
      TODAY,
    );
    expect(result.findings.map((f) => f.suppressedBy)).toEqual([
      { kind: 'ignore', reason: 'r1 (o1, until 2026-11-23)' },
      null,
      null,
    ]);
    expect(result.expiredIgnores).toEqual([ignores[1]]);
  });
});
