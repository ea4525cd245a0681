import type { OsvRecord } from '../../../shared/osv/record';
import { parseOsvRecord } from '../../../shared/osv/record';
import { alasRecord, type AlasConversion } from '../../../shared/vulndb/alas';
import type { AlasContext } from '../../../shared/vulndb/alas/context';
import { introducedOf } from '../../../shared/vulndb/alas/record';
import type { UpdateinfoPackage, UpdateinfoUpdate } from '../../../shared/vulndb/alas/updateinfo';

const pkg = (name: string, evr: Partial<UpdateinfoPackage> = {}): UpdateinfoPackage => ({
  name,
  epoch: '0',
  version: '1.0',
  release: '1.amzn2023.0.1',
  arch: 'x86_64',
  ...evr,
});

function update(fields: Partial<UpdateinfoUpdate> = {}): UpdateinfoUpdate {
  return {
    index: 1,
    type: 'security',
    id: 'ALAS2023-2024-1',
    title: 'Amazon Linux 2023 - ALAS2023-2024-1: Important priority package update for openssl',
    issued: '2024-01-05 20:41',
    updated: '2024-01-09 19:55:00',
    severity: 'Important',
    description: 'Package updates are available for Amazon Linux 2023.',
    cves: ['CVE-2024-0001'],
    packages: [pkg('openssl')],
    ...fields,
  };
}

function recordOf(conversion: AlasConversion): OsvRecord {
  if (!('record' in conversion)) throw new Error(`no record: ${JSON.stringify(conversion)}`);
  return conversion.record;
}

const ranges = (record: OsvRecord) =>
  Object.fromEntries(
    record.affected.map((a) => [a.name, a.ranges[0]!.events.map((e) => `${e.kind} ${e.version}`)]),
  );

describe('alasRecord', () => {
  describe('when an update is a security advisory', () => {
    it('gives an OSV record the OSV parser reads back unchanged', () => {
      const record = recordOf(alasRecord(update(), undefined));
      expect(record).toEqual({
        id: 'ALAS2023-2024-1',
        modified: '2024-01-09T19:55:00Z',
        published: '2024-01-05T20:41:00Z',
        aliases: ['CVE-2024-0001'],
        related: [],
        upstream: [],
        summary: update().title,
        details: update().description,
        severity: [],
        affected: [
          {
            ecosystem: 'Amazon Linux:2023',
            name: 'openssl',
            severity: [],
            ranges: [
              {
                type: 'ECOSYSTEM',
                events: [
                  { kind: 'introduced', version: '0' },
                  { kind: 'fixed', version: '1.0-1.amzn2023.0.1' },
                ],
              },
            ],
            versions: [],
            databaseSpecific: { repository: 'amazonlinux', severity: 'important' },
          },
        ],
        databaseSpecific: { source: 'updateinfo' },
      });
      const json = JSON.parse(
        JSON.stringify({
          ...record,
          affected: record.affected.map((a) => ({
            package: { ecosystem: a.ecosystem, name: a.name },
            ranges: a.ranges.map((r) => ({
              type: r.type,
              events: r.events.map((e) => ({ [e.kind]: e.version })),
            })),
            database_specific: a.databaseSpecific,
          })),
        }),
      ) as unknown;
      expect(parseOsvRecord(json)).toMatchObject({
        record: { id: record.id, affected: [{ name: 'openssl' }] },
      });
    });

    it('writes the epoch only when it is not 0, as the matcher writes installed versions', () => {
      const record = recordOf(
        alasRecord(
          update({
            packages: [
              pkg('openssl', { epoch: '1', version: '3.0.8', release: '1.amzn2023.0.11' }),
              pkg('tzdata', { epoch: '0', version: '2024a' }),
              pkg('bash', { epoch: undefined }),
              pkg('vim-minimal', { epoch: '002', version: '9.0.2153' }),
            ],
          }),
          undefined,
        ),
      );
      expect(ranges(record)).toEqual({
        openssl: ['introduced 0', 'fixed 1:3.0.8-1.amzn2023.0.11'],
        tzdata: ['introduced 0', 'fixed 2024a-1.amzn2023.0.1'],
        bash: ['introduced 0', 'fixed 1.0-1.amzn2023.0.1'],
        'vim-minimal': ['introduced 0', 'fixed 2:9.0.2153-1.amzn2023.0.1'],
      });
    });

    it('gives one entry per binary name, the highest build of its arches, skipping source rpms', () => {
      const record = recordOf(
        alasRecord(
          update({
            packages: [
              pkg('openssl', { arch: 'x86_64', release: '1.amzn2023.0.11' }),
              pkg('openssl', { arch: 'aarch64', release: '1.amzn2023.0.12' }),
              pkg('openssl', { arch: 'i686', release: '1.amzn2023.0.11' }),
              pkg('openssl-src-only', { arch: 'src' }),
            ],
          }),
          undefined,
        ),
      );
      expect(record.affected).toHaveLength(1);
      expect(ranges(record).openssl).toEqual(['introduced 0', 'fixed 1.0-1.amzn2023.0.12']);
      expect(record.affected[0]!.databaseSpecific).toMatchObject({
        fixed_builds: ['1.0-1.amzn2023.0.11', '1.0-1.amzn2023.0.12'],
      });
    });

    it.each([
      ['Critical', 'critical'],
      ['important', 'important'],
      ['MEDIUM', 'medium'],
      ['low', 'low'],
    ])('keeps the severity %s in each entry as %s', (written, kept) => {
      const record = recordOf(alasRecord(update({ severity: written }), undefined));
      expect(record.affected[0]!.databaseSpecific?.severity).toBe(kept);
    });

    it('keeps no severity Amazon does not use', () => {
      const record = recordOf(alasRecord(update({ severity: 'moderate' }), undefined));
      expect(record.affected[0]!.databaseSpecific).not.toHaveProperty('severity');
    });

    it('upper-cases and dedupes CVEs, leaving out references that are not CVE ids', () => {
      const cves = [
        'cve-2024-0002',
        'CVE-2024-0002',
        'CVE-2024-1',
        'RHSA-2024:1234',
        ' CVE-2024-12345 ',
      ];
      expect(recordOf(alasRecord(update({ cves }), undefined)).aliases).toEqual([
        'CVE-2024-0002',
        'CVE-2024-12345',
      ]);
    });

    it.each([
      ['2023-05-01 20:41', '2023-05-01T20:41:00Z'],
      ['2023-05-01 20:41:07', '2023-05-01T20:41:07Z'],
      ['2023-05-01T20:41:07Z', '2023-05-01T20:41:07Z'],
      ['2023-05-01', '2023-05-01T00:00:00Z'],
    ])('reads the date %s as %s (UTC)', (written, rfc3339) => {
      const record = recordOf(
        alasRecord(update({ issued: written, updated: undefined }), undefined),
      );
      expect(record).toMatchObject({ published: rfc3339, modified: rfc3339 });
    });

    it('takes modified from issued when the update was never updated, or updated before', () => {
      const record = recordOf(alasRecord(update({ updated: '2020-01-01 00:00' }), undefined));
      expect(record.modified).toBe('2024-01-05T20:41:00Z');
    });
  });

  describe('when the release and topic come from the id', () => {
    it.each<[string, string, string | undefined]>([
      ['ALAS2-2023-2001', 'Amazon Linux:2', 'amzn2-core'],
      ['ALAS2023-2024-123', 'Amazon Linux:2023', 'amazonlinux'],
      ['ALAS2KERNEL-5.10-2022-001', 'Amazon Linux:2', 'amzn2extra-kernel-5.10'],
      ['ALAS2GOLANG1.19-2023-001', 'Amazon Linux:2', 'amzn2extra-golang1.19'],
      ['ALASDOCKER-2023-029', 'Amazon Linux:2', 'amzn2extra-docker'],
    ])('reads %s as %s, repository %s', (id, ecosystem, repository) => {
      const record = recordOf(alasRecord(update({ id }), undefined));
      expect(record.affected[0]).toMatchObject({ ecosystem, databaseSpecific: { repository } });
    });

    it.each(['ALAS-2023-1923', 'ALAS2022-2022-001', 'RHSA-2024-1234'])(
      'gives a reason for %s, of no release this version reads',
      (id) => {
        expect(alasRecord(update({ id }), undefined)).toEqual({
          reason: `${id}: not an Amazon Linux 2 or 2023 advisory id, and the file's repository is not known`,
        });
      },
    );
  });

  describe('when the update is of an Amazon Linux 2 extras topic', () => {
    const kernel: AlasContext = { release: '2', topic: 'kernel-5.10' };

    it("starts each range at the topic's stream, so that another stream's kernel is not flagged", () => {
      const record = recordOf(
        alasRecord(
          update({
            id: 'ALAS2KERNEL-5.10-2024-045',
            packages: [pkg('kernel', { version: '5.10.210', release: '201.852.amzn2' })],
          }),
          kernel,
        ),
      );
      expect(ranges(record).kernel).toEqual(['introduced 5.10', 'fixed 5.10.210-201.852.amzn2']);
      expect(record.affected[0]!.databaseSpecific).toMatchObject({
        repository: 'amzn2extra-kernel-5.10',
        topic: 'kernel-5.10',
      });
    });

    it('names a bare id by its topic, as the security center does, keeping the written one', () => {
      const record = recordOf(alasRecord(update({ id: 'ALAS-2022-002' }), kernel));
      expect(record.id).toBe('ALASKERNEL-5.10-2022-002');
      expect(record.databaseSpecific).toEqual({
        source: 'updateinfo',
        updateinfo_id: 'ALAS-2022-002',
      });
    });

    it('keeps a core id in a topic file as it is', () => {
      expect(recordOf(alasRecord(update({ id: 'ALAS2-2024-1' }), kernel)).id).toBe('ALAS2-2024-1');
    });
  });

  describe('when an update is not a security advisory', () => {
    it('skips a bug fix without CVEs', () => {
      expect(alasRecord(update({ type: 'bugfix', cves: [] }), undefined)).toEqual({ skip: true });
    });

    it('keeps a bug fix that names a CVE', () => {
      expect(alasRecord(update({ type: 'bugfix' }), undefined)).toHaveProperty('record');
    });
  });

  describe('failures', () => {
    it.each<[string, Partial<UpdateinfoUpdate>, string]>([
      ['it has no id', { id: undefined }, 'no id'],
      [
        'its id has spaces',
        { id: 'ALAS2023 2024 1' },
        'the id "ALAS2023 2024 1" is not an advisory id',
      ],
      [
        'it has no date',
        { issued: undefined, updated: undefined },
        'ALAS2023-2024-1: no issued or updated date',
      ],
      [
        'its issued date is not a day',
        { issued: '2024-02-30 10:00' },
        'ALAS2023-2024-1: the issued date "2024-02-30 10:00" is not a date',
      ],
      [
        'its updated date is not a date',
        { updated: 'yesterday' },
        'ALAS2023-2024-1: the updated date "yesterday" is not a date',
      ],
      [
        'it has only source packages',
        { packages: [pkg('openssl', { arch: 'src' })] },
        'ALAS2023-2024-1: no binary packages',
      ],
      [
        'a package has no name',
        { packages: [pkg('openssl'), { version: '1', release: '1' }] },
        'ALAS2023-2024-1: a package without a usable name (null)',
      ],
      [
        'a package has no version',
        { packages: [pkg('openssl', { version: '' })] },
        'ALAS2023-2024-1: package openssl: no version',
      ],
      [
        'an epoch is not a number',
        { packages: [pkg('openssl', { epoch: 'one' })] },
        'ALAS2023-2024-1: package openssl: the epoch "one" is not a number',
      ],
      [
        'a release has ".."',
        { packages: [pkg('bash', { release: '1..amzn2023' })] },
        'ALAS2023-2024-1: package bash: "1.0-1..amzn2023" is not an rpm version',
      ],
      [
        'a version has "-"',
        { packages: [pkg('bash', { version: '1-2' })] },
        'ALAS2023-2024-1: package bash: "1-2-1.amzn2023.0.1" is not an rpm version',
      ],
    ])('gives a reason when %s', (_, fields, reason) => {
      expect(alasRecord(update(fields), undefined)).toEqual({ reason });
    });
  });
});

describe('introducedOf', () => {
  it.each<[string, string | undefined, string]>([
    ['5.10.210-201.852.amzn2', 'kernel-5.10', '5.10'],
    ['14.10-1.amzn2.0.1', 'postgresql14', '14'],
    ['1.22.1-1.amzn2.0.3', 'nginx1', '1'],
    ['10.2-1.amzn2', 'nginx1', '0'],
    ['1:8.0.30-1.amzn2', 'php8.0', '1:8.0'],
    ['3.8.16-1.amzn2.0.1', 'python3.8', '3.8'],
    ['1:1.8.0_402.b08-1.amzn2', 'corretto8', '0'],
    ['20.10.25-1.amzn2.0.4', 'docker', '0'],
    ['4.14.336-257.562.amzn2', undefined, '0'],
  ])('starts a range fixed at %s of %s at %s', (fixed, topic, introduced) => {
    expect(introducedOf(fixed, topic)).toBe(introduced);
  });
});
