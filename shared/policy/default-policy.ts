/**
 * The policy `--policy default` names: what most platform teams want on every image. Its text
 * is what its digest is computed over, as for a policy file.
 */
export const DEFAULT_POLICY = `name: default
onError: fail
rules:
  - id: no-fixable-critical-high
    description: CRITICAL and HIGH vulnerabilities that have a fix are fixed before release
    action: deny
    expression: >-
      vulnerabilities.filter(v, v.suppressedBy == null
        && v.severity in ['CRITICAL', 'HIGH'] && v.fixedVersion != null).size() == 0
    message: CRITICAL or HIGH vulnerabilities have fixes available
  - id: no-secrets
    description: No secret in any layer or in the image config
    action: deny
    expression: secrets.size() == 0
    message: secrets found in the image (see secrets)
  - id: no-root
    description: The container does not run as root
    action: deny
    expression: checks.exists(c, c.id == 'user-root' && c.status == 'pass')
    message: the image runs as root
  - id: supported-os
    description: The operating system still gets security fixes
    action: deny
    expression: os == null || !os.eol
    message: the operating system is past its end of life
  - id: signed
    description: Signed by one of the keys, when the scan was given keys (--key)
    action: deny
    expression: signature == null || signature.status == 'signed'
    message: the image is not signed by any of the keys
  - id: no-sensitive-files
    description: No credentials files, keys or shell histories
    action: warn
    expression: sensitiveFiles.size() == 0
    message: sensitive files found (see sensitiveFiles)
  - id: healthcheck
    description: The image declares a HEALTHCHECK
    action: warn
    expression: checks.exists(c, c.id == 'healthcheck-missing' && c.status == 'pass')
    message: no HEALTHCHECK
  - id: minimal-image
    description: No shell, package manager or downloader in a production image
    action: warn
    expression: checks.exists(c, c.id == 'not-minimal' && c.status == 'pass')
    message: the image carries a shell, a package manager or a downloader
`;
