// Medians over rounds: each round times one batch, the batch's cost is divided per item.

export interface Figure {
  /** Median wall-clock µs per item. */
  median: number;
  /** Median CPU µs per item, all threads of this process (pidusage reads on libuv's pool). */
  cpu: number;
  rounds: number;
}

const medianOf = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Times one round: wall and process CPU, per item. */
class RoundTimer {
  readonly wall: number[] = [];
  readonly cpu: number[] = [];
  private t0 = 0n;
  private c0: NodeJS.CpuUsage = { user: 0, system: 0 };

  start(): void {
    this.c0 = process.cpuUsage();
    this.t0 = process.hrtime.bigint();
  }

  stop(items: number): void {
    const wallUs = Number(process.hrtime.bigint() - this.t0) / 1000;
    const c = process.cpuUsage(this.c0);
    this.wall.push(wallUs / items);
    this.cpu.push((c.user + c.system) / items);
  }

  figure(): Figure {
    return { median: medianOf(this.wall), cpu: medianOf(this.cpu), rounds: this.wall.length };
  }
}

/** A timed round covers at least this many items, so tiny batches are not lost in timer noise. */
const MIN_ITEMS_PER_ROUND = 1000;

/** How many times a batch of `items` runs per round. */
export function repeatsFor(items: number): number {
  return Math.max(1, Math.ceil(MIN_ITEMS_PER_ROUND / items));
}

/**
 * `batch` does `items` units of work; returns µs per unit, median over
 * `rounds`, after one untimed round to warm the JIT.
 */
export function measureSync(rounds: number, items: number, batch: () => void): Figure {
  const repeats = repeatsFor(items);
  for (let k = 0; k < repeats; k++) batch();
  const timer = new RoundTimer();
  for (let r = 0; r < rounds; r++) {
    timer.start();
    for (let k = 0; k < repeats; k++) batch();
    timer.stop(items * repeats);
  }
  return timer.figure();
}

export async function measureAsync(rounds: number, items: number, batch: () => Promise<unknown>): Promise<Figure> {
  const repeats = repeatsFor(items);
  for (let k = 0; k < repeats; k++) await batch();
  const timer = new RoundTimer();
  for (let r = 0; r < rounds; r++) {
    timer.start();
    for (let k = 0; k < repeats; k++) await batch();
    timer.stop(items * repeats);
  }
  return timer.figure();
}

const fmt = (v: number): string => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} µs`;
/** Wall-clock median. */
export const us = (f: Figure): string => fmt(f.median);
/** CPU-time median. */
export const cpuUs = (f: Figure): string => fmt(f.cpu);
export const ratio = (slow: Figure, fast: Figure): string => `${(slow.median / fast.median).toFixed(1)}×`;
export const cpuRatio = (slow: Figure, fast: Figure): string => `${(slow.cpu / fast.cpu).toFixed(1)}×`;
