import { HTML_CSP, escapeHtml } from '../../shared/output/html';
import { scanHtml } from '../../shared/output/html-report';
import type { Finding } from '../../shared/match';
import type { ScanReport } from '../../shared/scan/report';

const LAYER = `sha256:${'a'.repeat(64)}`;
const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';

function finding(id: string, extra: Partial<Finding> = {}): Finding {
  return {
    id,
    aliases: [],
    purl: 'pkg:npm/x@1',
    package: 'x',
    installedVersion: '1',
    fixedVersion: '2',
    status: 'fixed',
    severity: 'MEDIUM',
    cvss: null,
    severitySource: 'cvss',
    source: 'OSV:npm',
    summary: null,
    layer: LAYER,
    path: 'app/package.json',
    suppressedBy: null,
    ...extra,
  };
}

/** A report with every section, each string of it hostile. */
function hostileReport(): ScanReport {
  return {
    schemaVersion: 1,
    image: {
      reference: `oci:${HOSTILE}`,
      digest: `sha256:${'b'.repeat(64)}`,
      platform: 'linux/amd64',
      manifestDigest: `sha256:${'c'.repeat(64)}`,
    },
    os: null,
    packages: [
      {
        name: HOSTILE,
        version: HOSTILE,
        type: 'npm',
        purl: 'pkg:npm/x@1',
        source: null,
        licenses: [],
        layer: LAYER,
        path: HOSTILE,
        ownedBy: null,
        dependencies: [],
        supplier: null,
      },
    ],
    problems: [],
    vulnerabilities: [
      finding(HOSTILE, { package: HOSTILE, summary: HOSTILE, fixedVersion: HOSTILE }),
    ],
    secrets: [
      {
        rule: 'aws-access-key-id',
        title: HOSTILE,
        severity: 'CRITICAL',
        line: 3,
        match: `AKIA****${HOSTILE}`,
        layer: LAYER,
        path: HOSTILE,
        removedInLayer: null,
      },
    ],
    checks: [
      {
        id: 'root-user',
        title: HOSTILE,
        severity: 'HIGH',
        status: 'fail',
        evidence: [HOSTILE],
        cis: '4.1',
        dockle: null,
        remediation: HOSTILE,
      },
    ],
    coverage: {
      complete: false,
      gaps: [
        {
          kind: 'file-unparsed',
          subject: HOSTILE,
          reason: HOSTILE,
          affects: HOSTILE,
          acceptedBy: null,
        },
      ],
      omitted: 0,
      omittedAcceptedBy: null,
    },
    verdict: {
      decision: 'fail',
      policy: { name: HOSTILE, digest: `sha256:${'d'.repeat(64)}` },
      coverage: 'incomplete',
      rules: [{ id: 'r', action: 'deny', outcome: 'fail', message: HOSTILE }],
      expiredExceptions: [],
    },
  } as unknown as ScanReport;
}

describe('scanHtml', () => {
  describe('when every string of the report is hostile markup', () => {
    const html = scanHtml([hostileReport()]);

    it('escapes each one: every element and attribute on the page is the renderer’s own', () => {
      expect(tagsOf(html).filter((t) => !ELEMENTS.has(t.name))).toEqual([]);
      expect(
        tagsOf(html)
          .flatMap((t) => t.attributes)
          .filter((a) => !ATTRIBUTES.has(a)),
      ).toEqual([]);
      expect(html).toContain(escapeHtml(HOSTILE));
    });

    it('still says the verdict and why, and shows the secret only as the report redacted it', () => {
      expect(html).toContain('<span class="decision">FAIL</span>');
      expect(html).toContain('Incomplete: the scan left gaps nobody accepted');
      expect(html).toContain('AKIA****&lt;script&gt;');
    });
  });

  describe('as a page that loads nothing', () => {
    const html = scanHtml([hostileReport()]);

    it('carries a policy that forbids every request but its inline style', () => {
      expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`);
      expect(HTML_CSP).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    });

    it('names no resource to load: no src, no href but its own anchors, no url()', () => {
      const attributes = tagsOf(html).flatMap((t) => t.attributes);
      expect(attributes.filter((a) => a === 'src' || a === 'srcset' || a === 'action')).toEqual([]);
      expect(
        [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]).filter((h) => !h!.startsWith('#')),
      ).toEqual([]);
      expect(html).not.toMatch(/url\(/i);
      // The SVG namespace is a name, never fetched; nothing else may name a web address.
      expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    });
  });

  describe('when the image has several platforms', () => {
    it('draws a section for each, linked from the top', () => {
      const amd64 = hostileReport();
      const arm64 = { ...amd64, image: { ...amd64.image, platform: 'linux/arm64' } };
      const html = scanHtml([amd64, arm64]);
      expect(html).toContain('<a href="#p1">linux/arm64</a>');
      expect(html).toContain('<article id="p1">');
    });
  });

  describe('when the scan had no vulnerability data and no policy', () => {
    it('says both were not checked rather than showing an empty pass', () => {
      const { vulnerabilities: _v, verdict: _p, ...report } = hostileReport();
      const html = scanHtml([report]);
      expect(html).toContain('NOT JUDGED');
      expect(html).toContain('Not checked: the scan had no vulnerability data');
    });
  });
});

/** The elements and attributes the renderer writes; a report's text must add none. */
const ELEMENTS = new Set(
  'html head meta title style body h1 h2 h3 p a code span div ul li section article footer table thead tbody tr th td details summary br svg line rect text'.split(
    ' ',
  ),
);
const ATTRIBUTES = new Set(
  'lang charset http-equiv content name id class href role width height viewBox xmlns x y x1 y1 x2 y2 fill stroke text-anchor'.split(
    ' ',
  ),
);

/** The page's start tags with their attribute names (text is escaped, so every `<` starts one). */
function tagsOf(html: string): { name: string; attributes: string[] }[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)].map((m) => ({
    name: m[1]!.toLowerCase(),
    attributes: [...m[2]!.matchAll(/\s([\w:-]+)="[^"]*"/g)].map((a) => a[1]!),
  }));
}

describe('the findings table', () => {
  it('ranks KEV first, then EPSS score, then severity, and says KEV and EPSS', () => {
    const kev = {
      cveID: 'CVE-1',
      dateAdded: '2026-01-01',
      dueDate: '2026-01-22',
      knownRansomwareCampaignUse: 'Known',
    };
    const epss = (score: number) => ({ score, percentile: 0.5, date: '2026-11-01' });
    const report = {
      ...hostileReport(),
      vulnerabilities: [
        finding('critical', { severity: 'CRITICAL', kev: null, epss: null }),
        finding('low-epss', { severity: 'LOW', epss: epss(0.02) }),
        finding('high-epss', { severity: 'LOW', epss: epss(0.9) }),
        finding('kev', { severity: 'MEDIUM', kev }),
      ],
    } as ScanReport;
    const html = scanHtml([report]);
    const order = [...html.matchAll(/<td><code>(critical|low-epss|high-epss|kev)<\/code>/g)].map(
      (m) => m[1],
    );
    expect(order).toEqual(['kev', 'high-epss', 'low-epss', 'critical']);
    expect(html).toContain(
      '<span class="kev">KEV</span> since 2026-01-01, due 2026-01-22, ransomware',
    );
    expect(html).toContain('EPSS 90.0% (p50)');
  });
});
