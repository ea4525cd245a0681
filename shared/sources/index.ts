export * from './docker-archive';
export * from './oci-layout';
export * from './open';
export * from './registry-source';
