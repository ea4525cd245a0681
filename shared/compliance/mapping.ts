import type { FrameworkId } from './frameworks';

/** The controls one evidence source speaks to, per framework. */
export type ControlMap = Readonly<Partial<Record<FrameworkId, readonly string[]>>>;

const ACCESS: ControlMap = {
  cis: ['4.1'],
  'pci-dss': ['7.2.1', '2.2.6'],
  hipaa: ['164.312(a)(1)'],
  soc2: ['CC6.1'],
  'nist-800-53': ['AC-6'],
};
const CREDENTIALS: ControlMap = {
  cis: ['4.10'],
  'pci-dss': ['3.5.1', '8.3.2', '8.6.2'],
  hipaa: ['164.312(a)(2)(iv)', '164.312(d)'],
  soc2: ['CC6.1'],
  'nist-800-53': ['IA-5', 'SC-28'],
};
const PROVENANCE: ControlMap = { cis: ['4.2'], soc2: ['CC8.1'], 'nist-800-53': ['CM-2', 'SI-7'] };
const LEAST_FUNCTIONALITY: ControlMap = {
  cis: ['4.3'],
  'pci-dss': ['2.2.4'],
  'nist-800-53': ['CM-7'],
};

/**
 * What each piece of scan evidence is evidence for: `check:<id>` for an image check, `secrets`,
 * `sensitive-files`, `signature`, and the two vulnerability gates. Kept as data, and tested for completeness
 * both ways: every source maps somewhere or says why not, every control is reached or listed in
 * {@link UNASSESSED}.
 */
export const MAPPING: Readonly<Record<string, ControlMap>> = {
  'check:user-root': ACCESS,
  'check:sudo-in-run': ACCESS,
  'check:setuid-files': { ...ACCESS, cis: ['4.8'], 'nist-800-53': ['AC-6', 'CM-6'] },
  'check:healthcheck-missing': { cis: ['4.6'], soc2: ['CC7.2'], 'nist-800-53': ['CM-6'] },
  'check:update-alone': {
    cis: ['4.7'],
    'pci-dss': ['6.3.3'],
    soc2: ['CC8.1'],
    'nist-800-53': ['CM-6', 'SI-2'],
  },
  'check:add-instead-of-copy': { cis: ['4.9'], soc2: ['CC8.1'], 'nist-800-53': ['CM-6'] },
  'check:add-remote-url': {
    cis: ['4.9', '4.11'],
    'pci-dss': ['6.3.3'],
    hipaa: ['164.312(c)(1)'],
    soc2: ['CC6.8', 'CC8.1'],
    'nist-800-53': ['SI-7'],
  },
  'check:secrets-in-env': CREDENTIALS,
  'check:latest-tag': PROVENANCE,
  'check:base-image-not-pinned': PROVENANCE,
  'check:package-manager-cache': LEAST_FUNCTIONALITY,
  'check:not-minimal': LEAST_FUNCTIONALITY,
  'check:ssh-port-exposed': {
    'pci-dss': ['2.2.4'],
    hipaa: ['164.312(a)(1)'],
    soc2: ['CC6.6'],
    'nist-800-53': ['CM-7'],
  },
  'check:os-end-of-life': {
    cis: ['4.4'],
    'pci-dss': ['2.2.1', '6.3.3'],
    soc2: ['CC7.1'],
    'nist-800-53': ['SA-22', 'SI-2'],
  },
  'check:image-size': {},
  signature: {
    cis: ['4.5'],
    hipaa: ['164.312(c)(1)'],
    soc2: ['CC8.1'],
    'nist-800-53': ['SI-7'],
  },
  secrets: CREDENTIALS,
  'sensitive-files': { ...CREDENTIALS, 'nist-800-53': ['IA-5', 'SC-28', 'CM-7'] },
  'vulnerabilities-scanned': {
    cis: ['4.4'],
    'pci-dss': ['6.3.1', '11.3.1'],
    hipaa: ['164.312(c)(1)'],
    soc2: ['CC7.1'],
    'nist-800-53': ['RA-5'],
  },
  'vulnerabilities-fixable': {
    cis: ['4.4'],
    'pci-dss': ['6.3.3', '11.3.1'],
    hipaa: ['164.312(c)(1)'],
    soc2: ['CC6.8', 'CC7.1'],
    'nist-800-53': ['RA-5', 'SI-2'],
  },
};

/** Sources that deliberately map to no control, and why. */
export const UNMAPPED: Readonly<Record<string, string>> = {
  'check:image-size': 'informational: size is a policy matter, no framework sets a limit',
};

/** Controls no evidence of a scan reaches yet, and what will. */
export const UNASSESSED: Readonly<Partial<Record<FrameworkId, Readonly<Record<string, string>>>>> =
  {
    hipaa: {
      '164.312(b)': 'audit controls: the pipeline’s audit trail, not a property of an image',
    },
  };
