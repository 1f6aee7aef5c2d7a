// The fleet keyed by sandbox name. Names are not unique in a registry (a
// restarted sandbox can leave an exited row beside its running one), so
// each name keeps its preferred row.
import type { SandboxMetrics } from '@sandmeter/registry';
import { preferReport, toReport, type SandboxReport } from './report.js';

export function fleetByName(
  rows: readonly SandboxMetrics[],
  nowMs: number,
  intervalMs: number,
): Map<string, SandboxReport> {
  const fleet = new Map<string, SandboxReport>();
  for (const row of rows) {
    const report = toReport(row, nowMs, intervalMs);
    const held = fleet.get(row.name);
    fleet.set(row.name, held === undefined ? report : preferReport(held, report));
  }
  return fleet;
}
