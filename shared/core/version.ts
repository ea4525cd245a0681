/**
 * Clearance's version: package.json's, written once more here so that the bundles need not read
 * package.json at run time (test/core/version.test.ts keeps the two equal). Reports name it as
 * their tool's version (SBOM, SARIF); `clearance --version` prints it.
 */
export const VERSION = '0.2.0';

/** Clearance as the tool that wrote a report names itself (SBOM, SARIF, ASFF). */
export const TOOL = { vendor: 'Clearance', name: 'clearance', version: VERSION } as const;
