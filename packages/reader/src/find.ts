// One sandbox by name (a string) or by sandbox id (a number).
import { InvalidArgumentError } from '@sandmeter/registry';
import type { SandboxMetrics } from '@sandmeter/registry';
import { toReport, type SandboxReport } from './report.js';
import type { RegistrySource } from './source.js';

export type SandboxTarget = string | number;

export function checkTarget(target: unknown): SandboxTarget {
  if (typeof target === 'string' && target.length > 0) return target;
  if (typeof target === 'number' && Number.isInteger(target) && target >= -0x80000000 && target <= 0x7fffffff) {
    return target;
  }
  throw new InvalidArgumentError('target', 'pass a sandbox name (non-empty string) or a sandbox id (32-bit integer)');
}

export function findMetrics(source: RegistrySource, target: SandboxTarget): SandboxMetrics | undefined {
  if (typeof target === 'number') return source.lookup(target);
  let best: SandboxMetrics | undefined;
  for (const row of source.snapshot()) {
    if (row.name !== target) continue;
    if (best === undefined || better(row, best)) best = row;
  }
  return best;
}

function better(a: SandboxMetrics, b: SandboxMetrics): boolean {
  if (a.state !== b.state) return a.state === 'active';
  return a.sampledAtMs > b.sampledAtMs;
}

export function findReport(
  source: RegistrySource,
  target: SandboxTarget,
  nowMs: number,
  intervalMs: number,
): SandboxReport | undefined {
  const row = findMetrics(source, target);
  return row === undefined ? undefined : toReport(row, nowMs, intervalMs);
}
