import { FRAMEWORKS } from '../../shared/compliance';
import { CIS_RUNTIME, POSTURE_CHECKS, POSTURE_MAPPING } from '../../shared/posture';
import { REGISTRY_CHECKS, REPOSITORY_CHECKS } from '../../shared/posture/registry';

const CHECK_IDS = [...POSTURE_CHECKS, ...REPOSITORY_CHECKS, ...REGISTRY_CHECKS].map((c) => c.id);

describe('the runtime posture’s compliance mapping', () => {
  it('maps every posture and registry check, and nothing else', () => {
    expect(Object.keys(POSTURE_MAPPING).sort()).toEqual([...CHECK_IDS].sort());
  });

  it('names only controls the frameworks have', () => {
    const unknown = Object.entries(POSTURE_MAPPING).flatMap(([id, map]) =>
      Object.entries(map).flatMap(([framework, controls]) =>
        (controls ?? [])
          .filter(
            (c) => !FRAMEWORKS.find((f) => f.id === framework)!.controls.some((k) => k.id === c),
          )
          .map((c) => `${id}: ${framework} ${c}`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it('titles every CIS Docker Benchmark v1.6.0 §5 item a check implements', () => {
    const items = [...new Set(POSTURE_CHECKS.flatMap((c) => (c.cis === undefined ? [] : [c.cis])))];
    expect(items.filter((item) => CIS_RUNTIME[item] === undefined)).toEqual([]);
    expect(items.every((item) => /^5\.\d+$/.test(item))).toBe(true);
  });
});
