import { IMAGE_CHECKS } from '../../shared/checks/rules';
import { FRAMEWORKS, MAPPING, UNASSESSED, UNMAPPED } from '../../shared/compliance';

const SOURCES = [
  ...IMAGE_CHECKS.map((c) => `check:${c.id}`),
  'secrets',
  'sensitive-files',
  'signature',
  'vulnerabilities-scanned',
  'vulnerabilities-fixable',
];

describe('the compliance mapping', () => {
  it('covers every evidence source a scan has, and nothing else', () => {
    expect(Object.keys(MAPPING).sort()).toEqual([...SOURCES].sort());
  });

  it('maps every source to a control, unless it says why not', () => {
    const silent = SOURCES.filter(
      (source) => Object.values(MAPPING[source]!).flat().length === 0 && !(source in UNMAPPED),
    );
    expect(silent).toEqual([]);
  });

  it.each(FRAMEWORKS.map((f) => [f.id, f] as const))(
    'names only real %s controls, and reaches each or says what will',
    (id, framework) => {
      const controls = new Set(framework.controls.map((c) => c.id));
      const mapped = Object.values(MAPPING).flatMap((m) => m[id] ?? []);
      expect(mapped.filter((c) => !controls.has(c))).toEqual([]);
      const pending = Object.keys(UNASSESSED[id] ?? {});
      expect(pending.filter((c) => !controls.has(c))).toEqual([]);
      const unreached = [...controls].filter((c) => !mapped.includes(c) && !pending.includes(c));
      expect(unreached).toEqual([]);
    },
  );

  it('maps the CIS checks to their own recommendation', () => {
    for (const check of IMAGE_CHECKS.filter((c) => c.cis !== undefined))
      expect(MAPPING[`check:${check.id}`]!.cis).toContain(check.cis);
  });
});
