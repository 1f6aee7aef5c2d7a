// Input validation shared by the sampler's entry points. Errors are the
// registry's typed classes, so callers match one set of codes.

import { InvalidArgumentError } from '@sandmeter/registry';

/** Throw InvalidArgumentError (code SANDMETER_INVALID_ARGUMENT). */
export function invalidArgument(argument: string, reason: string): never {
  throw new InvalidArgumentError(argument, reason);
}

export function requirePid(pid: unknown, argument = 'pid'): number {
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || pid > 0x7fffffff) {
    invalidArgument(argument, `must be a positive integer process id, got ${String(pid)}`);
  }
  return pid;
}

/** Longest delay a timer can hold (setTimeout's limit). */
export const MAX_INTERVAL_MS = 2 ** 31 - 1;

export function isValidIntervalMs(intervalMs: unknown): intervalMs is number {
  return typeof intervalMs === 'number' && Number.isFinite(intervalMs) && intervalMs >= 1 && intervalMs <= MAX_INTERVAL_MS;
}

export function requireIntervalMs(intervalMs: unknown): number {
  if (!isValidIntervalMs(intervalMs)) {
    invalidArgument('intervalMs', `must be a number of milliseconds from 1 to 2^31-1, got ${String(intervalMs)}`);
  }
  return intervalMs;
}
