export * from './cyclonedx';
export * from './document';
export * from './spdx';
