/** A control of a compliance framework, as the framework numbers and names it. */
export interface Control {
  readonly id: string;
  readonly title: string;
}

export interface Framework {
  /** The name `scan --compliance` takes. */
  readonly id: FrameworkId;
  readonly title: string;
  readonly controls: readonly Control[];
}

export type FrameworkId = 'cis' | 'pci-dss' | 'hipaa' | 'soc2' | 'nist-800-53';

/**
 * The controls an image scan can give evidence for. Titles are short paraphrases of the
 * frameworks' own wording; the ids are theirs.
 */
export const FRAMEWORKS: readonly Framework[] = [
  {
    id: 'cis',
    title: 'CIS Docker Benchmark v1.6.0, section 4 (container images and build files)',
    controls: [
      { id: '4.1', title: 'Ensure that a user for the container has been created' },
      { id: '4.2', title: 'Ensure that containers use only trusted base images' },
      { id: '4.3', title: 'Ensure that unnecessary packages are not installed in the container' },
      { id: '4.4', title: 'Ensure images are scanned and rebuilt to include security patches' },
      { id: '4.5', title: 'Ensure Content trust for Docker is enabled (signed images)' },
      { id: '4.6', title: 'Ensure that HEALTHCHECK instructions have been added' },
      { id: '4.7', title: 'Ensure update instructions are not used alone in the Dockerfile' },
      { id: '4.8', title: 'Ensure setuid and setgid permissions are removed' },
      { id: '4.9', title: 'Ensure that COPY is used instead of ADD in Dockerfiles' },
      { id: '4.10', title: 'Ensure secrets are not stored in Dockerfiles' },
      { id: '4.11', title: 'Ensure only verified packages are installed' },
    ],
  },
  {
    id: 'pci-dss',
    title: 'PCI DSS v4.0',
    controls: [
      { id: '2.2.1', title: 'Configuration standards address known vulnerabilities and hardening' },
      { id: '2.2.4', title: 'Only necessary services, protocols and functions are enabled' },
      { id: '2.2.6', title: 'System security parameters are configured to prevent misuse' },
      { id: '3.5.1', title: 'Stored account data and keys are protected' },
      { id: '6.3.1', title: 'Security vulnerabilities are identified and ranked' },
      { id: '6.3.3', title: 'Components are protected by installing applicable security patches' },
      { id: '7.2.1', title: 'Access is granted by least privilege' },
      { id: '8.3.2', title: 'Authentication factors are protected (not readable in storage)' },
      { id: '8.6.2', title: 'Passwords of system accounts are not hard-coded in scripts or files' },
      {
        id: '11.3.1',
        title: 'Internal vulnerability scans are performed and high-risk findings resolved',
      },
    ],
  },
  {
    id: 'hipaa',
    title: 'HIPAA Security Rule, technical safeguards (45 CFR 164.312)',
    controls: [
      { id: '164.312(a)(1)', title: 'Access control: only authorised persons and programs' },
      { id: '164.312(a)(2)(iv)', title: 'Encryption and decryption (keys kept secret)' },
      { id: '164.312(b)', title: 'Audit controls: record and examine activity' },
      { id: '164.312(c)(1)', title: 'Integrity: protect ePHI from improper alteration' },
      { id: '164.312(d)', title: 'Person or entity authentication' },
    ],
  },
  {
    id: 'soc2',
    title: 'SOC 2 (AICPA Trust Services Criteria 2017, rev. 2022): CC6, CC7, CC8',
    controls: [
      { id: 'CC6.1', title: 'Logical access security over protected information assets' },
      { id: 'CC6.6', title: 'Security measures against threats from outside system boundaries' },
      { id: 'CC6.8', title: 'Controls to prevent or detect unauthorised or malicious software' },
      { id: 'CC7.1', title: 'Detection of configuration changes and new vulnerabilities' },
      { id: 'CC7.2', title: 'Monitoring of system components for anomalies' },
      { id: 'CC8.1', title: 'Changes are authorised, designed, tested and approved' },
    ],
  },
  {
    id: 'nist-800-53',
    title: 'NIST SP 800-53 Rev. 5',
    controls: [
      { id: 'AC-6', title: 'Least privilege' },
      { id: 'CM-2', title: 'Baseline configuration' },
      { id: 'CM-6', title: 'Configuration settings' },
      { id: 'CM-7', title: 'Least functionality' },
      { id: 'IA-5', title: 'Authenticator management' },
      { id: 'RA-5', title: 'Vulnerability monitoring and scanning' },
      { id: 'SA-22', title: 'Unsupported system components' },
      { id: 'SC-28', title: 'Protection of information at rest' },
      { id: 'SI-2', title: 'Flaw remediation' },
      { id: 'SI-7', title: 'Software, firmware and information integrity' },
    ],
  },
];
