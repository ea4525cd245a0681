export * from './docker-archive';
export * from './errors';
export * from './local-path';
export * from './oci-layout';
export * from './open';
export * from './registry-source';
