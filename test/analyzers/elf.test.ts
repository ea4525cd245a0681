import { MalformedElfError, readElf, sectionBytes } from '../../shared/analyzers/elf';
import { buildElf } from '../support/elf-builder';

const reader = (bytes: Buffer) => (position: number, length: number) =>
  Promise.resolve(bytes.subarray(position, position + length));
const read = (bytes: Buffer) => readElf(reader(bytes), bytes.length);

describe('readElf', () => {
  describe('when the file is not ELF', () => {
    it.each([
      ['a script', Buffer.from('#!/bin/sh\necho hi\n')],
      ['an empty file', Buffer.alloc(0)],
      ['a file shorter than an ELF header', Buffer.from('\x7fELF', 'latin1')],
    ])('returns undefined for %s', async (_, bytes) => {
      expect(await read(bytes)).toBeUndefined();
    });
  });

  describe.each([
    ['64-bit little-endian', true, true],
    ['64-bit big-endian', true, false],
    ['32-bit little-endian', false, true],
    ['32-bit big-endian', false, false],
  ])('when the file is %s', (_, is64, littleEndian) => {
    it('names its sections, lists its loaded segments and reads a section', async () => {
      const elf = (await read(
        buildElf({
          is64,
          littleEndian,
          sections: [
            { name: '.text', data: Buffer.from('code'), addr: 0x1000 },
            { name: '.note', data: Buffer.from('hello') },
          ],
        }),
      ))!;
      expect(elf).toMatchObject({ is64, littleEndian });
      expect(elf.sections.map((s) => s.name)).toEqual(['', '.text', '.note', '.shstrtab']);
      expect(elf.segments).toEqual([
        expect.objectContaining({ type: 1, vaddr: 0x1000, filesz: 4 }),
      ]);
      const note = elf.sections.find((s) => s.name === '.note')!;
      expect((await sectionBytes(elf, note, 100)).toString()).toBe('hello');
    });
  });

  describe('when the headers do not hold together', () => {
    const valid = () => buildElf({ sections: [{ name: '.a', data: Buffer.from('x') }] });

    it('fails on an unknown class or byte order', async () => {
      const badClass = valid();
      badClass[4] = 9;
      await expect(read(badClass)).rejects.toThrow('unknown ELF class 9');
      const badOrder = valid();
      badOrder[5] = 0;
      await expect(read(badOrder)).rejects.toThrow('unknown byte order 0');
    });

    it('fails on a section table past the end of the file', async () => {
      const bytes = valid();
      await expect(read(bytes.subarray(0, bytes.length - 8))).rejects.toThrow(
        /section header table at \d+\+\d+ is past the end/,
      );
    });

    it('fails on a forged table size instead of reading it', async () => {
      const bytes = valid();
      bytes.writeUInt16LE(0xffff, 60); // e_shnum
      await expect(read(bytes)).rejects.toBeInstanceOf(MalformedElfError);
    });

    it('refuses a section larger than the caller reads', async () => {
      const elf = (await read(buildElf({ sections: [{ name: '.big', data: Buffer.alloc(64) }] })))!;
      const big = elf.sections.find((s) => s.name === '.big')!;
      await expect(sectionBytes(elf, big, 63)).rejects.toThrow(
        'section .big is 64 bytes, more than the 63 read',
      );
    });
  });
});
