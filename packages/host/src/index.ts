// @sandmeter/host: the supervisor, its control API and the `sandmeter` command.

// The host
export { Host, createHost } from './host.js';
export type { HostHealth, SpawnSandboxOptions, SpawnedSandbox, HostEvents } from './host.js';
export { DEFAULTS } from './host-options.js';
export type { HostOptions, TcpListen } from './host-options.js';
export type { SandboxRegistration, SandboxRecord, SandboxStatus, SandboxEnd, EndReason } from './types.js';

// The parent actor
export { hostMachine, samplerActorId, SAMPLER_PREFIX } from './host.machine.js';
export type { HostMachine, HostMachineInput, HostContext, HostEvent, HostOutput, LifecycleChange, LifecycleNotice } from './host.machine.js';
export { livenessLogic, pidExists } from './liveness.actor.js';
export type { LivenessEvent, LivenessInput, ProcessGoneEvent } from './liveness.actor.js';
export { toStopping, toEnded, withExitStatus, isLive } from './sandbox-lifecycle.js';
export type { SamplerEnd } from './sandbox-lifecycle.js';
export { countActors } from './actor-count.js';
export { CoalescingClock, DEFAULT_GRID_MS } from './coalescing-clock.js';
export type { ClockLike } from './coalescing-clock.js';
export type { ActorCount } from './actor-count.js';

// The control API
export { startApi } from './http/server.js';
export type { ApiServer, ApiListen } from './http/server.js';
export { HostClient, RemoteError } from './client.js';
export type { ClientOptions, ApiResponse } from './client.js';
export { registrationSchema, MAX_BODY_BYTES } from './schemas.js';
export { checkRegistration } from './validate.js';
export type { ValidationProblem } from './validate.js';
export { defaultSocketPath, socketAlive } from './socket-path.js';
export { stopOnSignals } from './signals.js';
export type { SignalOptions } from './signals.js';
export { toMetricsView } from './metrics-view.js';
export type { MetricsView } from './metrics-view.js';

// Errors
export { HostError, isHostError, toErrorResponse } from './errors.js';
export type { HostErrorCode, ErrorBody } from './errors.js';

// Logs and inspection
export { createLogger, silentLogger } from './logger.js';
export type { LoggerOptions, Logger } from './logger.js';
export { createActorInspector, plainData } from './inspector.js';
export type { ActorInspector } from './inspector.js';

// Processes
export { spawnProcess } from './spawn-process.js';
export type { SpawnOptions, ExitInfo, SpawnedProcess } from './spawn-process.js';
export { workloadScript, WORKLOAD_KINDS } from './workloads/index.js';
export type { WorkloadKind } from './workloads/index.js';
