import { canonicalJson } from '../../shared/audit';

/** The double of the 16 hex digits `hex` (IEEE 754 binary64, big-endian). */
function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

/** What `work` threw. */
function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to throw');
}

describe('canonicalJson (RFC 8785)', () => {
  describe('when given the RFC’s sample object (§3.2.2, §3.2.4)', () => {
    // The input as the RFC writes it: JSON text, parsed.
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    );

    it('sorts the members, writes the numbers and escapes the strings as the RFC does', () => {
      expect(canonicalJson(input)).toBe(
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
          '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
      );
    });

    it('gives the RFC’s UTF-8 bytes', () => {
      const bytes =
        '7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 ' +
        '75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a ' +
        '5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 ' +
        '65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 ' +
        '5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 ' +
        '30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d';
      expect(Buffer.from(canonicalJson(input), 'utf8').toString('hex')).toBe(
        bytes.replaceAll(' ', ''),
      );
    });
  });

  describe('when member names are not ASCII (§3.2.3)', () => {
    it('sorts them by UTF-16 code units: U+1F600 (a surrogate pair) before U+FB33', () => {
      const input = {
        '\u20ac': 'Euro Sign',
        '\r': 'Carriage Return',
        '\ufb33': 'Hebrew Letter Dalet With Dagesh',
        '1': 'One',
        '\ud83d\ude00': 'Emoji: Grinning Face',
        '\u0080': 'Control',
        '\u00f6': 'Latin Small Letter O With Diaeresis',
      };
      expect(canonicalJson(input)).toBe(
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
          '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
          '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
      );
    });
  });

  describe('numbers (Appendix B)', () => {
    it.each([
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ])('writes the double %s as %s', (hex, text) => {
      expect(canonicalJson(double(hex))).toBe(text);
      expect(canonicalJson([double(hex)])).toBe(`[${text}]`);
    });

    it.each([
      ['7fffffffffffffff', 'NaN'],
      ['7ff0000000000000', 'Infinity'],
    ])('fails when given the double %s (%s), as a bug', (hex) => {
      expect(thrown(() => canonicalJson({ n: double(hex) }))).toMatchObject({
        code: 'NOT_CANONICALIZABLE',
        kind: 'bug',
      });
    });
  });

  describe('strings', () => {
    it('escapes only what JSON must, in lowercase hex, and keeps the rest as UTF-8', () => {
      expect(canonicalJson('\u0000\u001f\b\t\n\f\r"\\/é€😀\u2028')).toBe(
        '"\\u0000\\u001f\\b\\t\\n\\f\\r\\"\\\\/é€😀\u2028"',
      );
    });

    it('fails when a string holds a lone surrogate (not I-JSON)', () => {
      expect(() => canonicalJson({ ['\ud800']: 1 })).toThrow(/canonical JSON form/);
      expect(thrown(() => canonicalJson(['\udc00']))).toMatchObject({
        code: 'NOT_CANONICALIZABLE',
      });
    });
  });

  describe('when members are undefined, or values have toJSON', () => {
    it('leaves them out, as JSON.stringify does, and serializes dates as their ISO text', () => {
      expect(canonicalJson({ b: undefined, a: new Date(0), c: [undefined] })).toBe(
        '{"a":"1970-01-01T00:00:00.000Z","c":[null]}',
      );
    });

    it('fails when given no JSON value at all', () => {
      expect(thrown(() => canonicalJson(undefined))).toMatchObject({ code: 'NOT_CANONICALIZABLE' });
    });
  });

  it('is its own fixed point: the canonical text of parsed canonical text is itself', () => {
    const value = { z: [1.5e300, -0, 1e-7], é: { b: 'x', a: null }, a: true };
    const text = canonicalJson(value);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    expect(text).toBe('{"a":true,"z":[1.5e+300,0,1e-7],"é":{"a":null,"b":"x"}}');
  });
});
