import { SECRET_RULES } from '../../shared/secrets/rules';
import { SecretScanner } from '../../shared/secrets/scanner';
import { RULE_CASES } from './rule-cases';

const scanner = new SecretScanner(SECRET_RULES);
const rulesFound = (text: string) => scanner.scanText(text).map((m) => m.rule);

describe('the built-in secret rules', () => {
  it('number at least 60, each with a unique id, a title and keywords', () => {
    expect(SECRET_RULES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(SECRET_RULES.map((r) => r.id)).size).toBe(SECRET_RULES.length);
    for (const rule of SECRET_RULES) {
      expect(rule.title).not.toBe('');
      expect(rule.keywords.length).toBeGreaterThan(0);
      expect(rule.keywords.every((k) => k === k.toLowerCase())).toBe(true);
    }
  });

  it('each have cases that must match and near misses that must not', () => {
    const missing = SECRET_RULES.filter((rule) => {
      const cases = RULE_CASES[rule.id];
      return cases === undefined || cases.matches.length === 0 || cases.misses.length === 0;
    });
    expect(missing.map((rule) => rule.id)).toEqual([]);
    expect(Object.keys(RULE_CASES).filter((id) => !SECRET_RULES.some((r) => r.id === id))).toEqual(
      [],
    );
  });

  describe.each(SECRET_RULES.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
    const cases = RULE_CASES[id] ?? { matches: [], misses: [] };

    it.each(cases.matches.map((text, i) => [i, text]))('finds example %i', (_, text) => {
      expect(rulesFound(text)).toContain(id);
      expect(rule.keywords.some((k) => text.toLowerCase().includes(k))).toBe(true);
    });

    it.each(cases.misses.map((text, i) => [i, text]))('passes over near miss %i', (_, text) => {
      expect(rulesFound(text)).not.toContain(id);
    });
  });
});
