// A VMM-like counter set behind a callback source, with knobs a test turns:
// CPU time, memory, a slow read (for the clock bracket), a vanished sandbox,
// a failing read. The clock it advances is the test's own.

import { SimulatedClock } from 'xstate';
import { callbackSource, SANDBOX_GONE } from '../../src/sources/callback.js';
import type { Metrics } from '../../src/sources/types.js';

export class FakeVmm {
  readonly clock = new SimulatedClock();
  /** Wall clock origin: unix ms at simulated time 0. */
  readonly epochMs = 1_700_000_000_000;
  cpuTimeNs = 1_000_000_000;
  memoryBytes = 64 * 1024 * 1024;
  upper: Pick<Metrics, 'upperUsedBytes' | 'upperFreeBytes' | 'upperSampledAtMs'> = {};
  /** Monotonic ms a read takes (the sampler descheduled mid-read). */
  readCostMs = 0;
  gone = false;
  failReads = 0;
  reads = 0;
  private extraMonoMs = 0;

  readonly source = callbackSource({
    kind: 'fake-vmm',
    fields: ['cpuTimeNs', 'memoryBytes', 'upperUsedBytes', 'upperFreeBytes', 'upperSampledAtMs'],
    read: () => {
      this.reads++;
      this.extraMonoMs += this.readCostMs;
      if (this.gone) return SANDBOX_GONE;
      if (this.failReads > 0) {
        this.failReads--;
        throw new Error('counter device unavailable');
      }
      return { cpuTimeNs: this.cpuTimeNs, memoryBytes: this.memoryBytes, ...this.upper };
    },
  });

  readonly nowMs = (): number => this.epochMs + this.clock.now() + this.extraMonoMs;
  readonly monotonicMs = (): number => this.clock.now() + this.extraMonoMs;

  /** Let `ms` pass while the guest uses `cpus` CPUs. */
  run(ms: number, cpus: number): void {
    this.cpuTimeNs += Math.round(ms * 1e6 * cpus);
    this.clock.increment(ms);
  }
}
