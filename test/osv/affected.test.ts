import { evaluateAffected } from '../../shared/osv/affected';
import type { OsvAffected, OsvEvent } from '../../shared/osv/record';
import { InvalidVersionError } from '../../shared/versions/errors';
import type { VersionScheme } from '../../shared/versions/scheme';

/** Dotted integers (`1.10.2`), enough to state the evaluation rules; real schemes are tested apart. */
const dotted: VersionScheme = {
  name: 'npm',
  isValid: (v) => /^\d+(\.\d+)*$/.test(v),
  compare(a, b) {
    for (const v of [a, b]) if (!this.isValid(v)) throw new InvalidVersionError('npm', v);
    const [x, y] = [a, b].map((v) => v.split('.').map(Number));
    for (let i = 0; i < Math.max(x!.length, y!.length); i++) {
      const d = (x![i] ?? 0) - (y![i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  },
};
const schemes = { ecosystem: dotted, semver: dotted };

const events = (...pairs: [OsvEvent['kind'], string][]): OsvEvent[] =>
  pairs.map(([kind, version]) => ({ kind, version }));
const entry = (ranges: OsvEvent[][], versions: string[] = []): OsvAffected => ({
  ecosystem: 'npm',
  name: 'x',
  severity: [],
  ranges: ranges.map((e) => ({ type: 'ECOSYSTEM', events: e })),
  versions,
});
const evaluate = (e: OsvAffected, version: string) => evaluateAffected(e, version, schemes);

describe('evaluateAffected', () => {
  describe('when a range is introduced and fixed', () => {
    const e = entry([events(['introduced', '1.2'], ['fixed', '1.5'])]);
    it.each([
      ['1.1', false],
      ['1.2', true],
      ['1.4.9', true],
      ['1.5', false],
      ['2.0', false],
    ])('%s → affected %s', (version, affected) => {
      expect(evaluate(e, version).affected).toBe(affected);
    });

    it('gives the fixed version of an affected one', () => {
      expect(evaluate(e, '1.3')).toEqual({ affected: true, fixedVersion: '1.5', problems: [] });
    });
  });

  describe('when a range has no fix', () => {
    it('affects every version from introduced on, with no fixed version', () => {
      expect(evaluate(entry([events(['introduced', '0'])]), '99.1')).toEqual({
        affected: true,
        problems: [],
      });
    });
  });

  describe('when a range ends at last_affected', () => {
    const e = entry([events(['introduced', '0'], ['last_affected', '2.0'])]);
    it('includes last_affected itself and nothing after', () => {
      expect([evaluate(e, '2.0').affected, evaluate(e, '2.0.1').affected]).toEqual([true, false]);
    });
  });

  describe('when a range has several introduced/fixed pairs, out of order', () => {
    const e = entry([
      events(['fixed', '2.4'], ['introduced', '2.0'], ['fixed', '1.5'], ['introduced', '1.0']),
    ]);
    it.each([
      ['0.9', false, undefined],
      ['1.2', true, '1.5'],
      ['1.7', false, undefined],
      ['2.1', true, '2.4'],
      ['2.4', false, undefined],
    ])('%s → affected %s, fixed %s', (version, affected, fixedVersion) => {
      const result = evaluate(e, version);
      expect(result.affected).toBe(affected);
      expect(result.fixedVersion).toBe(fixedVersion);
    });
  });

  describe('when a range has a limit', () => {
    const e = entry([events(['introduced', '0'], ['limit', '3.0'])]);
    it('affects only what is below the limit', () => {
      expect([evaluate(e, '2.9').affected, evaluate(e, '3.0').affected]).toEqual([true, false]);
    });
  });

  describe('when versions are listed one by one', () => {
    const e = entry([], ['1.0', '1.1']);
    it('affects exactly those, compared by the scheme', () => {
      expect(['1.0', '1.0.0', '1.2'].map((v) => evaluate(e, v).affected)).toEqual([
        true,
        true,
        false,
      ]);
    });
  });

  describe('when introduced and fixed are the same version', () => {
    it('affects nothing', () => {
      const e = entry([events(['introduced', '1.0'], ['fixed', '1.0'])]);
      expect(evaluate(e, '1.0').affected).toBe(false);
    });
  });

  describe('when an event version does not parse', () => {
    it('reports the range and still evaluates the others', () => {
      const e = entry([
        events(['introduced', '0'], ['fixed', 'not-a-version']),
        events(['introduced', '1.0'], ['fixed', '2.0']),
      ]);
      expect(evaluate(e, '1.5')).toEqual({
        affected: true,
        fixedVersion: '2.0',
        problems: [expect.stringMatching(/^ECOSYSTEM range not evaluated: .*not-a-version/)],
      });
    });
  });

  describe('when the installed version does not parse', () => {
    it('fails: the version cannot be placed, which is not "not affected"', () => {
      expect(() => evaluate(entry([events(['introduced', '0'])]), 'v?')).toThrow(
        InvalidVersionError,
      );
    });
  });
});
