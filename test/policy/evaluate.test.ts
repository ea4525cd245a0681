import type { CheckResult } from '../../shared/checks/check';
import { COMPLETE, coverageOf, type CoverageGap } from '../../shared/coverage';
import { DEFAULT_POLICY, evaluatePolicy, parsePolicy } from '../../shared/policy';
import type { Finding } from '../../shared/match/finding';
import type { ScanReport } from '../../shared/scan/report';

const NOW = new Date('2026-11-29T12:00:00Z');
const REFERENCE = 'registry.example.org/payments/api:release-7';

const check = (id: string, status: CheckResult['status']): CheckResult => ({
  id,
  title: id,
  severity: 'HIGH',
  status,
  evidence: [],
  cis: null,
  dockle: null,
  remediation: '',
});

const vulnerability = (id: string, severity: Finding['severity'], fixedVersion: string | null) =>
  ({
    id,
    aliases: [`${id}-ALIAS`],
    severity,
    fixedVersion,
    suppressedBy: null,
    package: 'openssl',
  }) as unknown as Finding;

function report(changes: Partial<ScanReport> = {}): ScanReport {
  return {
    schemaVersion: 1,
    image: {
      reference: REFERENCE,
      digest: 'sha256:aa',
      platform: 'linux/amd64',
      manifestDigest: 'sha256:bb',
    },
    os: {
      id: 'debian',
      versionId: '12',
      versionCodename: null,
      prettyName: null,
      eol: false,
      eolDate: null,
    },
    coverage: COMPLETE,
    packages: [],
    problems: [],
    vulnerabilities: [],
    secrets: [],
    sensitiveFiles: [],
    checks: [
      check('user-root', 'pass'),
      check('healthcheck-missing', 'pass'),
      check('not-minimal', 'pass'),
    ],
    ...changes,
  };
}

const policy = (rules: string, extra = '') => parsePolicy(`rules:\n${rules}${extra}`, 'test.yaml');
const outcomes = (verdict: ReturnType<typeof evaluatePolicy>) =>
  verdict.rules.map((r) => [r.id, r.outcome]);

describe('evaluatePolicy', () => {
  describe('with the default policy', () => {
    const defaults = parsePolicy(DEFAULT_POLICY, 'default');

    it('passes a clean image', () => {
      const verdict = evaluatePolicy(defaults, report(), NOW);
      expect(verdict.decision).toBe('pass');
      expect(verdict.policy).toEqual({ name: 'default', digest: defaults.digest });
    });

    it('fails on a HIGH vulnerability with a fix, and only warns on a missing HEALTHCHECK', () => {
      const fixable = evaluatePolicy(
        defaults,
        report({ vulnerabilities: [vulnerability('CVE-1', 'HIGH', '2')] }),
        NOW,
      );
      expect(fixable.decision).toBe('fail');
      const unfixed = evaluatePolicy(
        defaults,
        report({ vulnerabilities: [vulnerability('CVE-1', 'HIGH', null)] }),
        NOW,
      );
      expect(unfixed.decision).toBe('pass');
      const noHealthcheck = evaluatePolicy(
        defaults,
        report({
          checks: [
            check('user-root', 'pass'),
            check('healthcheck-missing', 'fail'),
            check('not-minimal', 'pass'),
          ],
        }),
        NOW,
      );
      expect(noHealthcheck.decision).toBe('warn');
    });

    it('fails closed when the scan did not check vulnerabilities', () => {
      const { vulnerabilities: _, ...unchecked } = report();
      const verdict = evaluatePolicy(defaults, unchecked, NOW);
      expect(verdict.decision).toBe('fail');
      expect(verdict.rules[0]).toMatchObject({
        outcome: 'error',
        message:
          'not evaluated: it reads vulnerabilities, which this scan did not produce (the scan had no vulnerability data)',
      });
    });
  });

  describe('when an expression does not compile', () => {
    it('is an error outcome, and the verdict fails closed', () => {
      const verdict = evaluatePolicy(
        policy('  - id: typo\n    expression: "secrets.size( =="\n'),
        report(),
        NOW,
      );
      expect(verdict.decision).toBe('fail');
      expect(verdict.rules[0]).toMatchObject({
        outcome: 'error',
        message: expect.stringMatching(/^the expression does not compile: /),
      });
    });
  });

  describe('when an expression errs', () => {
    const broken = "  - id: typo\n    action: warn\n    expression: image.nope == 'x'\n";

    it('fails the verdict by default, even for a warn rule', () => {
      const verdict = evaluatePolicy(policy(broken), report(), NOW);
      expect(verdict.decision).toBe('fail');
      expect(verdict.rules[0]).toMatchObject({
        outcome: 'error',
        message: expect.stringMatching(/nope/),
      });
    });

    it('only warns with onError: warn', () => {
      const lenient = parsePolicy(`onError: warn\nrules:\n${broken}`, 'test.yaml');
      expect(evaluatePolicy(lenient, report(), NOW).decision).toBe('warn');
    });

    it('is an error, not a pass, when the expression is not boolean', () => {
      const verdict = evaluatePolicy(
        policy('  - id: count\n    expression: packages.size()\n'),
        report(),
        NOW,
      );
      expect(verdict.rules[0]!.outcome).toBe('error');
    });
  });

  describe('rule matching', () => {
    it('skips a rule whose repository or tag globs do not name the image', () => {
      const rules = `  - { id: mine, match: { repositories: ["payments/*"], tags: ["release-*"] }, expression: "false" }
  - { id: theirs, match: { repositories: ["search/**"] }, expression: "false" }
  - { id: tagged, match: { tags: ["v*"] }, expression: "false" }
`;
      expect(outcomes(evaluatePolicy(policy(rules), report(), NOW))).toEqual([
        ['mine', 'fail'],
        ['theirs', 'skipped'],
        ['tagged', 'skipped'],
      ]);
    });
  });

  describe('exceptions', () => {
    const rules =
      '  - { id: no-high, expression: "vulnerabilities.all(v, v.severity != \'HIGH\')" }\n';
    const exception = (scope: string, expires: string) =>
      `exceptions:\n  - { id: e1, scope: ${scope}, reason: accepted risk, owner: team-payments, expires: ${expires} }\n`;
    const withHigh = report({ vulnerabilities: [vulnerability('CVE-2024-1', 'HIGH', null)] });

    it('except a rule for the repository they name until they expire', () => {
      const live = evaluatePolicy(
        policy(rules, exception('{ repository: "payments/*" }', '2026-12-31')),
        withHigh,
        NOW,
      );
      expect(live.rules[0]).toMatchObject({
        outcome: 'excepted',
        message: 'e1: accepted risk (team-payments)',
        exception: 'e1',
      });
      expect(live.decision).toBe('pass');
      const expired = evaluatePolicy(
        policy(rules, exception('{ repository: "payments/*" }', '2026-11-28')),
        withHigh,
        NOW,
      );
      expect(expired.rules[0]!.outcome).toBe('fail');
      expect(expired.expiredExceptions).toEqual([{ id: 'e1', expires: '2026-11-28' }]);
    });

    it('except one digest', () => {
      const other = evaluatePolicy(
        policy(rules, exception('{ digest: "sha256:cc" }', '2027-01-01')),
        withHigh,
        NOW,
      );
      expect(other.rules[0]!.outcome).toBe('fail');
      const mine = evaluatePolicy(
        policy(rules, exception('{ digest: "sha256:bb" }', '2027-01-01')),
        withHigh,
        NOW,
      );
      expect(mine.rules[0]!.outcome).toBe('excepted');
    });

    it('scoped to a vulnerability, hide it (by id or alias) from the rules they cover', () => {
      const byAlias = evaluatePolicy(
        policy(rules, exception('{ vulnerability: CVE-2024-1-ALIAS }', '2027-01-01')),
        withHigh,
        NOW,
      );
      expect(byAlias.rules[0]!.outcome).toBe('pass');
    });
  });

  describe('coverage', () => {
    const gap = (kind: CoverageGap['kind'], subject: string): CoverageGap => ({
      kind,
      subject,
      reason: 'why',
      affects: 'what',
      acceptedBy: null,
    });
    const amazon = report({ coverage: coverageOf([gap('no-advisory-source', 'amzn 2023')]) });
    const lenient = policy("  - { id: anything, action: warn, expression: 'true' }\n");

    it('fails a verdict on a gap nobody accepted, however lenient the rules', () => {
      const verdict = evaluatePolicy(lenient, amazon, NOW);
      expect(verdict).toMatchObject({ decision: 'fail', coverage: 'incomplete' });
      expect(outcomes(verdict)).toEqual([['anything', 'pass']]);
    });

    it('passes a complete scan and says so', () => {
      expect(evaluatePolicy(lenient, report(), NOW)).toMatchObject({
        decision: 'pass',
        coverage: 'complete',
      });
    });

    it('takes a report without coverage (an older version wrote it) as incomplete', () => {
      const { coverage: _, ...old } = report();
      expect(evaluatePolicy(lenient, old, NOW)).toMatchObject({
        decision: 'fail',
        coverage: 'incomplete',
      });
    });

    it('passes once every gap was accepted on the command line', () => {
      const accepted = report({
        coverage: coverageOf([
          { ...gap('stale-data', '2026-11-01'), acceptedBy: '--allow-incomplete' },
        ]),
      });
      expect(evaluatePolicy(lenient, accepted, NOW)).toMatchObject({
        decision: 'pass',
        coverage: 'accepted',
      });
    });

    it.each([
      ['no-advisory-source', 'pass'],
      ['"no-advisory-source:amzn *"', 'pass'],
      ['"no-advisory-source:Debian:*"', 'fail'],
      ['stale-data', 'fail'],
    ])('accepts a gap by an exception scoped to coverage %s: %s', (pattern, decision) => {
      const accepting = policy(
        "  - { id: anything, action: warn, expression: 'true' }\n",
        `exceptions:\n  - { id: al2023, scope: { coverage: ${pattern} }, reason: ALAS import pending, owner: team-platform, expires: 2027-01-31 }\n`,
      );
      expect(evaluatePolicy(accepting, amazon, NOW).decision).toBe(decision);
    });

    it('accepts no gap by an exception scoped to another repository, or past its expiry', () => {
      const exception = (scope: string, expires: string) =>
        policy(
          "  - { id: anything, action: warn, expression: 'true' }\n",
          `exceptions:\n  - { id: e1, scope: ${scope}, reason: r, owner: o, expires: ${expires} }\n`,
        );
      const elsewhere = exception(
        '{ coverage: no-advisory-source, repository: "billing/*" }',
        '2027-01-31',
      );
      const mine = exception(
        '{ coverage: no-advisory-source, repository: "payments/*" }',
        '2027-01-31',
      );
      const expired = exception('{ coverage: no-advisory-source }', '2026-11-28');
      expect(evaluatePolicy(elsewhere, amazon, NOW).decision).toBe('fail');
      expect(evaluatePolicy(mine, amazon, NOW).decision).toBe('pass');
      expect(evaluatePolicy(expired, amazon, NOW).decision).toBe('fail');
    });

    it('lets rules read the coverage, gaps and who accepted them', () => {
      const strict = policy(
        "  - { id: no-accepted-gaps, expression: 'coverage.gaps.all(g, g.acceptedBy == null)' }\n",
        'exceptions:\n  - { id: al, scope: { coverage: no-advisory-source }, reason: r, owner: o }\n',
      );
      const verdict = evaluatePolicy(strict, amazon, NOW);
      expect(outcomes(verdict)).toEqual([['no-accepted-gaps', 'fail']]);
      expect(verdict.coverage).toBe('accepted');
    });
  });
});
