import { z } from 'zod';
import { z as z4 } from 'zod/v4';
import { describedBy, fieldPath, firstIssue, issueMessage } from '../../shared/core/zod-issues';

const errorOf = (schema: z.ZodTypeAny, value: unknown): z.ZodError => {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected the parse to fail');
  return parsed.error;
};

describe('fieldPath', () => {
  it.each([
    [[], '', ''],
    [['config'], '', 'config'],
    [['manifests', 0, 'digest'], '', 'manifests[0].digest'],
    [['mediaType'], 'layers[3]', 'layers[3].mediaType'],
    [[], 'config', 'config'],
    [[2, 'a', 1], '', '[2].a[1]'],
  ])('writes %j after %j as %j', (path, base, expected) => {
    expect(fieldPath(path, base)).toBe(expected);
  });
});

describe('issueMessage', () => {
  const Descriptor = z.object(
    { mediaType: z.string({ message: 'is missing' }), size: z.number({ message: 'is no size' }) },
    { message: 'is not an object' },
  );
  const Manifest = z.object({ layers: z.array(Descriptor, { message: 'is not an array' }) });

  it('names the field of the first issue, in the order the schema lists its keys', () => {
    const error = errorOf(Manifest, { layers: [{ mediaType: 'x', size: 1 }, { size: 'big' }] });
    expect(issueMessage(error)).toBe('layers[1].mediaType is missing');
  });

  it('names the part it was given as the base', () => {
    expect(issueMessage(errorOf(Descriptor, 7), 'config')).toBe('config is not an object');
    expect(issueMessage(errorOf(Descriptor, { mediaType: 'x' }), 'config')).toBe(
      'config.size is no size',
    );
  });

  it('gives the message alone for the input itself', () => {
    expect(issueMessage(errorOf(Descriptor, []))).toBe('is not an object');
  });

  it('reads zod 4 errors alike', () => {
    const parsed = z4.object({ id: z4.string({ error: 'no id' }) }).safeParse({});
    expect(parsed.success).toBe(false);
    expect(issueMessage(parsed.error!)).toBe('id no id');
  });
});

describe('firstIssue', () => {
  it('keeps the path as zod gives it, for a caller that reports at a coarser place', () => {
    const schema = z.object({
      affected: z.array(z.object({ name: z.string({ message: 'no name' }) })),
    });
    expect(firstIssue(errorOf(schema, { affected: [{ name: 'a' }, {}] }))).toEqual({
      field: 'affected[1].name',
      path: ['affected', 1, 'name'],
      message: 'no name',
    });
  });
});

describe('describedBy', () => {
  const Size = z
    .number(describedBy((size) => `${JSON.stringify(size)} is not a byte count`))
    .int()
    .nonnegative();

  it.each([['12'], [-1], [1.5], [null]])('gives one message, with the value, for %j', (size) => {
    expect(issueMessage(errorOf(Size, size))).toBe(`${JSON.stringify(size)} is not a byte count`);
  });

  it('applies to a literal, whose plain message zod 3 would not use', () => {
    const Version = z.literal(
      2,
      describedBy(() => 'must be 2'),
    );
    expect(issueMessage(errorOf(z.object({ schemaVersion: Version }), { schemaVersion: 1 }))).toBe(
      'schemaVersion must be 2',
    );
  });
});
