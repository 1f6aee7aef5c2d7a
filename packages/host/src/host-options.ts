// Options of an embedded host, with their defaults in one place.
import type { Registry } from '@sandmeter/registry';
import type { TimerClock } from '@sandmeter/sampler';
import type { Logger } from './logger.js';

export interface TcpListen {
  port: number;
  /** Loopback only: 127.0.0.1 (default) or ::1. */
  host?: '127.0.0.1' | '::1' | 'localhost';
}

export interface HostOptions {
  /** An open registry (shared, left open at stop) or the name of one to open or create. Default: defaultRegistryName(). */
  registry?: Registry | string;
  /** Capacity when the registry is created here (default 1024). */
  capacity?: number;
  /** Default sampling interval, ms (default 1000). */
  intervalMs?: number;
  /** Serve the control API on this unix socket (mode 0600). Default: no socket. */
  socketPath?: string;
  /** Also serve it on a loopback TCP port. */
  tcp?: TcpListen;
  /** Default: silent. */
  logger?: Logger;
  /** Stream the actor system to a WebSocket inspector at this URL (ws://host:port). */
  inspect?: string;
  /**
   * How often pids the host did not spawn are checked for exit, ms (default 1000). Only pids whose
   * source would not notice sooner are polled: cgroup-sampled ones, and those sampled less often than this.
   */
  livenessPollMs?: number;
  /** How long stop() waits for samplers, ms (default 5000). */
  stopTimeoutMs?: number;
  /** Ended sandboxes kept in the list (default 1024). */
  historyLimit?: number;
  /** Unlink the registry at stop when this host created it (default false: stale samples stay readable). */
  unlinkRegistryOnStop?: boolean;
  /** Terminate processes the host spawned when it stops (default true). */
  killSpawnedOnStop?: boolean;
  /** SIGTERM, then SIGKILL after this many ms (default 2000). */
  killGraceMs?: number;
  /** Timer clock of the actors (default: a CoalescingClock, 100 ms grid, unref'd timers). */
  clock?: TimerClock;
}

export const DEFAULTS = {
  intervalMs: 1000,
  livenessPollMs: 1000,
  stopTimeoutMs: 5000,
  historyLimit: 1024,
  killGraceMs: 2000,
} as const;
