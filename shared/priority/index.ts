/**
 * Which findings to fix first: CISA's Known Exploited Vulnerabilities catalog and FIRST's EPSS
 * scores, read from their published files, attached to findings by CVE, and the order they
 * give (`comparePriority`).
 */
export * from './compare';
export * from './enrich';
export * from './epss';
export * from './errors';
export * from './kev';
export * from './sniff';
export * from './types';
export * from './version';
