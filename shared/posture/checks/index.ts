import type { PostureCheck } from '../check';
import {
  dockerSocket,
  hostDevices,
  hostIpc,
  hostNetwork,
  hostPid,
  hostUts,
  privilegedPorts,
  sensitiveHostPaths,
} from './host';
import { runAsNonRoot, secretsInEnvironment, serviceAccountToken } from './identity';
import { imagePinned, imageTrustedRegistry, imageVerdict } from './images';
import { cpuLimit, memoryLimit, pidsLimit } from './limits';
import { centralLogging, healthCheck } from './operations';
import {
  capabilitiesAdded,
  capabilitiesNotDropped,
  noNewPrivileges,
  privileged,
  readOnlyRootFilesystem,
} from './privileges';
import { apparmor, seccomp, selinux } from './profiles';

export { imageReferenceOf } from './images';

/** Every runtime posture check, in report order: privileges, host, limits, profiles, identity, images, operations. */
export const POSTURE_CHECKS: readonly PostureCheck[] = [
  privileged,
  capabilitiesNotDropped,
  capabilitiesAdded,
  noNewPrivileges,
  readOnlyRootFilesystem,
  hostNetwork,
  hostPid,
  hostIpc,
  hostUts,
  sensitiveHostPaths,
  dockerSocket,
  hostDevices,
  privilegedPorts,
  memoryLimit,
  cpuLimit,
  pidsLimit,
  seccomp,
  apparmor,
  selinux,
  runAsNonRoot,
  secretsInEnvironment,
  serviceAccountToken,
  imagePinned,
  imageTrustedRegistry,
  imageVerdict,
  centralLogging,
  healthCheck,
];
