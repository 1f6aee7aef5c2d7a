// One sampling tick per sandbox (read the procfs source, compute CPU percent,
// write the registry slot) against pidusage reading the same processes.

import pidusage from 'pidusage';
import { Registry, type SlotWriter } from '@sandmeter/registry';
import {
  cpuPercentFromCpuTime,
  procfsSource,
  takeSample,
  type ProcfsSource,
  type TickDeps,
  type TickRequest,
} from '@sandmeter/sampler';
import { measureAsync, measureSync, type Figure } from './measure.js';

export interface TickRow {
  processes: number;
  tick: Figure;
  readOnly: Figure;
  pidusage: Figure;
}

export async function benchProcfsTick(pids: number[], registryName: string, rounds: number): Promise<TickRow> {
  const n = pids.length;
  const registry = Registry.openOrCreate(registryName, { capacity: Math.max(n, 1) });
  const writers: SlotWriter[] = [];
  const sources: ProcfsSource[] = [];
  const statOnly: ProcfsSource[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const pid = pids[i] as number;
      const reservation = registry.reserve({ sandboxId: i + 1, name: `bench-${i}` });
      writers.push(registry.activate({ ...reservation, runId: i + 1, pid }));
      sources.push(procfsSource({ pid }));
      statOnly.push(procfsSource({ pid, io: false, network: false }));
    }
    // Exactly what the machine's sample port runs per tick.
    const deps: TickDeps[] = sources.map((source, i) => ({
      writer: writers[i] as SlotWriter,
      source,
      maxCpus: 2,
      upperHostPath: undefined,
      nowMs: Date.now,
      monotonicMs: () => performance.now(),
      bracketTolerance: 0.05,
    }));
    const requests: TickRequest[] = deps.map(() => ({ intervalMs: 1000, previous: undefined, lastTrustedCpu: undefined }));
    const tick = measureSync(rounds, n, () => {
      for (let i = 0; i < n; i++) {
        const request = requests[i] as TickRequest;
        const outcome = takeSample(deps[i] as TickDeps, request);
        if (outcome.type !== 'sample.written') throw new Error(`tick failed: ${outcome.type}`);
        request.previous = outcome.reading;
        if (outcome.trusted) request.lastTrustedCpu = outcome.cpuPercent;
      }
    });

    // Same fields as pidusage (CPU from stat, RSS), no registry write.
    const previous = new Array<number | bigint | undefined>(n);
    const previousAt = new Array<number>(n).fill(0);
    const readOnly = measureSync(rounds, n, () => {
      for (let i = 0; i < n; i++) {
        const reading = (statOnly[i] as ProcfsSource).read();
        if (reading.status !== 'ok') throw new Error('a sleeper vanished');
        const at = performance.now();
        cpuPercentFromCpuTime(reading.metrics.cpuTimeNs, previous[i], (at - (previousAt[i] as number)) / 1000);
        previous[i] = reading.metrics.cpuTimeNs;
        previousAt[i] = at;
      }
    });

    const usage = await measureAsync(rounds, n, async () => {
      const stats = await pidusage(pids);
      if (Object.keys(stats).length !== n) throw new Error('pidusage missed processes');
    });
    return { processes: n, tick, readOnly, pidusage: usage };
  } finally {
    pidusage.clear();
    for (const s of [...sources, ...statOnly]) s.close();
    for (const w of writers) w.release('free');
    registry.close();
    Registry.unlink(registryName, { missingOk: true });
  }
}
