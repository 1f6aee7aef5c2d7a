// Tiny measurement kit: median of rounds, each round timing a batch.
export interface Figure {
  name: string;
  unit: 'ns' | 'µs';
  median: number;
  min: number;
  rounds: number;
  perRound: number;
}

export function measure(name: string, unit: 'ns' | 'µs', perRound: number, rounds: number, op: (i: number) => void): Figure {
  for (let i = 0; i < Math.min(perRound, 20_000); i++) op(i); // warm up the JIT
  const scale = unit === 'ns' ? 1 : 1e-3;
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) op(i);
    const dt = Number(process.hrtime.bigint() - t0);
    samples.push((dt / perRound) * scale);
  }
  samples.sort((a, b) => a - b);
  return { name, unit, median: samples[Math.floor(samples.length / 2)] as number, min: samples[0] as number, rounds, perRound };
}

export const fmt = (f: Figure): string => `${f.median.toFixed(f.median < 10 ? 2 : 1)} ${f.unit}`;
