// Pure transitions of one sandbox record, used by the host machine. A
// record goes running -> stopping -> exited | unregistered, or straight
// from running to exited when its sampler ends on its own.
import type { EndReason, SandboxEnd, SandboxRecord } from './types.js';

/** What the sampler actor reports when it ends (its output). */
export interface SamplerEnd {
  reason: 'stopped' | 'gone' | 'reclaimed';
  samplesWritten: number;
}

export const isLive = (r: SandboxRecord): boolean => r.status === 'running' || r.status === 'stopping';

export function end(reason: EndReason, atMs: number, exitCode: number | null = null, signal: string | null = null): SandboxEnd {
  return { reason, atMs, exitCode, signal };
}

/** The host asked the sampler to stop, for this reason. No-op unless running. */
export function toStopping(record: SandboxRecord, why: SandboxEnd): SandboxRecord {
  if (record.status !== 'running') return record;
  return { ...record, status: 'stopping', end: why };
}

/**
 * The sampler ended. The reason the host already recorded wins; otherwise
 * the sampler's own: the source found the sandbox gone, or the slot was
 * reclaimed (when the owner process is dead, a reader demoted its slot:
 * that is an exit too).
 */
export function toEnded(record: SandboxRecord, output: SamplerEnd | undefined, ownerAlive: boolean, atMs: number): SandboxRecord {
  let why = record.end;
  if (why === null) {
    if (output === undefined) why = end('failed', atMs);
    else if (output.reason === 'gone' || (output.reason === 'reclaimed' && !ownerAlive)) why = end('gone', atMs);
    else if (output.reason === 'reclaimed') why = end('reclaimed', atMs);
    else why = end('shutdown', atMs);
  }
  return {
    ...record,
    status: why.reason === 'unregistered' ? 'unregistered' : 'exited',
    end: why,
    samplesWritten: output?.samplesWritten ?? record.samplesWritten,
  };
}

/** A spawned process's exit code arrived after its sampler already saw it gone: keep the code. */
export function withExitStatus(record: SandboxRecord, exitCode: number | null, signal: string | null, atMs: number): SandboxRecord {
  if (record.end !== null && record.end.reason !== 'gone') return record;
  return { ...record, end: end('exited', record.end?.atMs ?? atMs, exitCode, signal) };
}
