import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateinfoReader, type UpdateinfoEvent } from '../../../shared/vulndb/alas/updateinfo';
import { ALAS_FIXTURES } from '../../support/alas-mirror';

/** The events of `xml` fed in chunks of `size` characters. */
function read(xml: string, size = xml.length): UpdateinfoEvent[] {
  const reader = new UpdateinfoReader();
  const events: UpdateinfoEvent[] = [];
  for (let i = 0; i < xml.length && !reader.stopped; i += size) {
    reader.write(xml.slice(i, i + size));
    events.push(...reader.drain());
  }
  reader.end();
  return [...events, ...reader.drain()];
}

const fixture = (name: string) => readFileSync(join(ALAS_FIXTURES, name), 'utf8');
const update = (body: string, attributes = 'type="security"') =>
  `<updates><update ${attributes}>${body}</update></updates>`;

describe('UpdateinfoReader', () => {
  describe('when a file is well formed', () => {
    it('reads every update with its fields, CVE references and packages as written', () => {
      const events = read(fixture('al2023-x86_64-updateinfo.xml'));
      expect(events.map((e) => e.kind)).toEqual(['update', 'update', 'update', 'update']);
      const first = (events[0] as unknown as { update: Record<string, unknown> }).update;
      expect(first).toMatchObject({
        index: 1,
        type: 'security',
        id: 'ALAS2023-2024-470',
        issued: '2024-01-05 20:41:00',
        updated: '2024-01-09 19:55:00',
        severity: 'Important',
        cves: ['CVE-2023-5678', 'CVE-2023-6129'],
      });
      expect(first.description).toMatch(/^Package updates are available .*\n[\s\S]*very slow\.$/);
      expect((first.packages as unknown[])[0]).toEqual({
        name: 'openssl-libs',
        epoch: '1',
        version: '3.0.8',
        release: '1.amzn2023.0.11',
        arch: 'x86_64',
      });
    });

    it('reads the same whatever the chunks it is fed in', () => {
      const xml = fixture('al2-extras-kernel-5.10-updateinfo.xml');
      expect(read(xml, 7)).toEqual(read(xml));
      expect(read(xml, 1)).toEqual(read(xml));
    });

    it('reads an empty <updates/> as no update', () => {
      expect(read('<?xml version="1.0" ?>\n<updates/>')).toEqual([]);
    });

    it('keeps CDATA text, and references other than CVEs out', () => {
      const [event] = read(
        update(
          '<id>ALAS2-2024-1</id><description><![CDATA[a <b> c]]></description>' +
            '<references><reference type="bugzilla" id="1234"/><reference type="CVE" id="cve-2024-1"/></references>',
        ),
      );
      expect(event).toMatchObject({ update: { description: 'a <b> c', cves: ['cve-2024-1'] } });
    });
  });

  describe('when an update is broken', () => {
    it('skips the update an XML error is in, and reads on', () => {
      const events = read(fixture('malformed-updateinfo.xml'));
      expect(events.find((e) => e.kind === 'broken' && e.id === 'ALAS2023-2024-904')).toMatchObject(
        {
          reason: expect.stringMatching(/^XML error: 45:\d+: undefined entity/) as unknown,
        },
      );
      expect(events.some((e) => e.kind === 'update' && e.update.id === 'ALAS2023-2024-905')).toBe(
        true,
      );
    });

    it('reports the update a cut file ends in, then the cut', () => {
      const events = read(fixture('malformed-updateinfo.xml'));
      expect(events.slice(-2)).toEqual([
        {
          kind: 'broken',
          index: 7,
          id: 'ALAS2023-2024-906',
          reason: expect.stringMatching(/unclosed tag/),
        },
        { kind: 'stopped', reason: 'the document is cut short' },
      ]);
    });

    it('refuses an update listing more packages than any advisory does', () => {
      const packages = '<package name="a" version="1" release="1"/>'.repeat(20_001);
      const [event] = read(
        update(`<id>ALAS2-2024-9</id><pkglist><collection>${packages}</collection></pkglist>`),
      );
      expect(event).toEqual({
        kind: 'broken',
        index: 1,
        id: 'ALAS2-2024-9',
        reason: 'lists more than 20000 items',
      });
    });

    it('cuts a description past 64 KiB', () => {
      const [event] = read(
        update(`<id>ALAS2-2024-9</id><description>${'x'.repeat(100_000)}</description>`),
      );
      expect((event as { update: { description: string } }).update.description).toHaveLength(
        65_536,
      );
    });
  });

  describe('failures', () => {
    it.each([
      [
        'the root is not <updates>',
        '<repomd><data/></repomd>',
        'not an updateinfo document: its root is <repomd>',
      ],
      ['there is no element at all', '   ', /document must contain a root element/],
      [
        'the XML breaks outside any update',
        '<updates><update><id>A</id></update><<</updates>',
        /^XML error: /,
      ],
    ])('stops the file when %s', (_, xml, reason) => {
      const events = read(xml);
      expect(events.at(-1)).toEqual({ kind: 'stopped', reason: expect.stringMatching(reason) });
    });

    it('stops the file after too many XML errors, keeping what was read before', () => {
      const bad = update('<id>X</id><description>&a;&b;</description>').slice(
        '<updates>'.length,
        -'</updates>'.length,
      );
      const events = read(
        `<updates>${update('<id>ALAS2-2024-1</id>').slice(9, -10)}${bad.repeat(60)}</updates>`,
      );
      expect(events[0]).toMatchObject({ kind: 'update' });
      expect(events.at(-1)).toEqual({
        kind: 'stopped',
        reason: expect.stringMatching(/^more than 100 XML errors/),
      });
    });
  });
});
