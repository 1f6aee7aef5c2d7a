// Medians, and CPU/heap read once a second while a scenario runs.
export interface Round {
  cpuMs: number;
  heapMiB: number;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whole-process CPU (all threads, GC included) per 1 s round, and heap in use at its end. No forced GC: that would skew the CPU. */
export async function sampleRounds(rounds: number, warmupMs: number): Promise<Round[]> {
  await sleep(warmupMs);
  const out: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    const cpu0 = process.cpuUsage();
    await sleep(1000);
    const cpu = process.cpuUsage(cpu0);
    out.push({ cpuMs: (cpu.user + cpu.system) / 1000, heapMiB: process.memoryUsage().heapUsed / 2 ** 20 });
  }
  return out;
}

/** Heap still live after a full GC (needs node --expose-gc), MiB. */
export function liveHeapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Median CPU ms of one call of `op`, over `rounds` rounds of `perRound` calls, after warm-up. */
export async function cpuPerOp(rounds: number, perRound: number, op: () => unknown): Promise<number> {
  for (let i = 0; i < perRound; i++) await op();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < perRound; i++) await op();
    const cpu = process.cpuUsage(cpu0);
    samples.push((cpu.user + cpu.system) / 1000 / perRound);
  }
  return median(samples);
}
