export { Registry } from './registry.js';
export type { OpenOptions, SlotUsage } from './registry.js';
export { SlotWriter } from './slot-writer.js';
export {
  SandmeterError,
  RegistryFullError,
  GenerationMismatchError,
  NotFoundError,
  LayoutMismatchError,
  InvalidArgumentError,
  WriterBusyError,
  PermissionDeniedError,
  SlotStateError,
  AlreadyExistsError,
  RegistryClosedError,
  SystemError,
  isSandmeterError,
} from './errors.js';
export type { SandmeterErrorCode } from './errors.js';
export { defaultRegistryName, microsandboxRegistryName, fnv1a64 } from './names.js';
export { DEFAULT_CAPACITY, MAX_CAPACITY, MAX_NAME_LEN } from './layout.js';
export { DEFAULT_LIVENESS_TTL_MS } from './liveness.js';
export type {
  U64Input,
  SlotState,
  SampleInput,
  SandboxMetrics,
  ReserveOptions,
  Reservation,
  ActivateOptions,
  ReleaseMode,
  SnapshotOptions,
} from './types.js';
