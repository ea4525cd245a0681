export * from './asff';
export * from './check';
export { POSTURE_CHECKS } from './checks';
export * from './compliance';
export * from './default-policy';
export * from './documents';
export * from './output';
export * from './report';
export * from './report-json';
export type * from './workload';
export {
  registryDocumentKind,
  type RegistryPosture,
  type RegistryPostureOptions,
} from './registry';
