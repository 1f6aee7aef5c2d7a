// Public value types of @sandmeter/host.

/** What a caller hands the host to start sampling one sandbox. */
export interface SandboxRegistration {
  /** Sandbox id (1 .. 2^31-1). Default: the host assigns the lowest id not in use. */
  id?: number;
  /** UTF-8, at most 128 bytes. Unique among running sandboxes. */
  name: string;
  /** A process (with its descendants) sampled from /proc. Give a pid, a cgroup, or both. */
  pid?: number;
  /** A cgroup path (v2, v1 fallbacks) sampled instead of /proc; with a pid too, the pid is the owner whose exit ends the sandbox. */
  cgroup?: string;
  /** Sample the whole process tree under `pid` (default true) or the process alone. */
  processTree?: boolean;
  memoryLimitBytes?: number;
  /** CPUs the sandbox may use; CPU percent is clamped to maxCpus * 100. Default: this machine's CPU count. */
  maxCpus?: number;
  /** Sampling interval, ms (50 .. 3,600,000). Default: the host's interval. */
  intervalMs?: number;
  /** Host path of the sandbox's writable upper image; its allocated bytes are published. */
  upperImagePath?: string;
  /** Free-form key/value labels, kept by the host and shown by its API. */
  labels?: Record<string, string>;
}

/** running: sampled now; stopping: told to stop, the sampler is finishing; exited / unregistered: done. */
export type SandboxStatus = 'running' | 'stopping' | 'exited' | 'unregistered';

/** Why a sandbox stopped being sampled. */
export type EndReason =
  | 'exited' // its process exited (exit code or signal known when the host spawned it)
  | 'gone' // the source or the liveness check found it gone
  | 'reclaimed' // the registry gave its slot to someone else
  | 'unregistered' // DELETE /v1/sandboxes/:id or host.unregister()
  | 'shutdown' // the host stopped
  | 'failed'; // the sampler actor failed

export interface SandboxEnd {
  reason: EndReason;
  atMs: number;
  exitCode: number | null;
  signal: string | null;
}

/** The host's view of one sandbox: identity, configuration, slot and lifecycle. */
export interface SandboxRecord {
  id: number;
  name: string;
  pid: number | null;
  cgroup: string | null;
  /** True when the host spawned the process (exit is seen at once, with its code). */
  spawned: boolean;
  status: SandboxStatus;
  slot: number;
  generation: number;
  runId: number;
  startedAtMs: number;
  intervalMs: number;
  maxCpus: number;
  memoryLimitBytes: number;
  upperImagePath: string | null;
  labels: Record<string, string>;
  end: SandboxEnd | null;
  /** Samples written, once the sampler has ended. */
  samplesWritten: number | null;
}
