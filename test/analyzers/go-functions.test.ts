import { FunctionSet, FunctionSetBuilder, symbolOf } from '../../shared/analyzers/go-functions';

describe('symbolOf', () => {
  describe('when a name is one the linker writes for a function', () => {
    it.each([
      ['net/http.Get', 'net/http', 'Get'],
      ['net/http.(*Transport).RoundTrip', 'net/http', 'Transport.RoundTrip'],
      ['net/url.EscapeError.Error', 'net/url', 'EscapeError.Error'],
      ['main.main', 'main', 'main'],
      ['gopkg.in/yaml%2ev2.Unmarshal', 'gopkg.in/yaml.v2', 'Unmarshal'],
      ['gopkg.in/yaml%2ev3.(*parser).parse', 'gopkg.in/yaml.v3', 'parser.parse'],
      ['example.com/x.Map[...]', 'example.com/x', 'Map'],
      ['example.com/x.(*Tree[...]).Insert', 'example.com/x', 'Tree.Insert'],
      ['example.com/x.Tree[go.shape.int].Len', 'example.com/x', 'Tree.Len'],
      ['net/http.(*Server).Serve.func1', 'net/http', 'Server.Serve'],
      ['net/http.ListenAndServe.func1.2', 'net/http', 'ListenAndServe'],
      ['net/http.(*conn).serve.gowrap1', 'net/http', 'conn.serve'],
      ['net/http.(*Client).do-fm', 'net/http', 'Client.do'],
      ['example.com/x.walk-range1', 'example.com/x', 'walk'],
      ['path/filepath.init.0', 'path/filepath', 'init'],
    ])('%s is %s %s', (name, pkg, symbol) => {
      expect(symbolOf(name)).toEqual({ pkg, symbol });
    });
  });

  describe('when a name is the runtime’s own or of no package', () => {
    it.each([
      'type:.eq.net/http.Header',
      'type..eq.[2]string',
      'go:buildid',
      'go.buildid',
      'x',
      '',
    ])('%j is none', (name) => {
      expect(symbolOf(name)).toBeUndefined();
    });
  });
});

describe('FunctionSet', () => {
  const built = (names: readonly string[]) => {
    const builder = new FunctionSetBuilder();
    for (const name of names) builder.add(name);
    return builder.encode();
  };

  describe('when built from function names', () => {
    const encoded = built([
      'net/http.Get',
      'net/http.(*Transport).RoundTrip',
      'net/http.(*Transport).RoundTrip.func1',
      'crypto/tls.(*Conn).Handshake',
      'type:.eq.net/http.Header',
    ]);
    const set = FunctionSet.decode(encoded)!;

    it('counts distinct packages and functions', () => {
      expect(encoded).toMatchObject({ packages: 2, functions: 3 });
    });

    it('answers for packages and their functions', () => {
      expect(set.hasPackage('net/http')).toBe(true);
      expect(set.hasPackage('crypto/tls')).toBe(true);
      expect(set.hasPackage('net/url')).toBe(false);
      expect(set.hasSymbol('net/http', 'Transport.RoundTrip')).toBe(true);
      expect(set.hasSymbol('crypto/tls', 'Conn.Handshake')).toBe(true);
      expect(set.hasSymbol('net/http', 'Head')).toBe(false);
      expect(set.hasSymbol('crypto/tls', 'Get')).toBe(false);
    });
  });

  describe('when the set is large', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `example.com/p${i % 50}.F${i}`);
    const encoded = built(names);
    const set = FunctionSet.decode(encoded)!;

    it('keeps every function it was given', () => {
      expect(
        names.every((n) =>
          set.hasSymbol(n.slice(0, n.indexOf('.F')), n.slice(n.indexOf('.F') + 1)),
        ),
      ).toBe(true);
    });

    it('takes about four bytes of base64 per key', () => {
      expect(encoded.hashes.length / (encoded.packages + encoded.functions)).toBeLessThan(4.5);
    });

    it('claims functions it was not given about as rarely as n / 2^32 says', () => {
      const asked = 200_000;
      let claimed = 0;
      for (let i = 0; i < asked; i++) if (set.hasSymbol('example.com/q', `G${i}`)) claimed++;
      // n = 20,050 keys: expected ~0.93 of 200,000; more than 10 would mean a broken hash.
      expect(claimed).toBeLessThanOrEqual(10);
    });
  });

  describe('when the encoding is not this version’s', () => {
    it('decodes to nothing', () => {
      const encoded = { ...built(['a.b']), encoding: 'bloom' } as unknown as Parameters<
        typeof FunctionSet.decode
      >[0];
      expect(FunctionSet.decode(encoded)).toBeUndefined();
    });
  });

  describe('when empty', () => {
    it('holds nothing', () => {
      const set = FunctionSet.decode(built([]))!;
      expect(set.hasPackage('')).toBe(false);
      expect(set.hasPackage('main')).toBe(false);
    });
  });
});
