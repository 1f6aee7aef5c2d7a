// pnpm bench: µs per sampling tick per sandbox with the procfs source, from 1
// to 1,000 processes, against pidusage reading the same processes.
// `--write` also writes BENCHMARKS.md.

import { writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { benchMachineTick } from './machine-tick.js';
import { benchProcfsTick, type TickRow } from './procfs-tick.js';
import { cpuRatio, cpuUs, ratio, us, type Figure } from './measure.js';
import { spawnSleepers } from './sleepers.js';

const SIZES = (process.env.BENCH_SIZES ?? '1,10,100,1000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const registryName = `/sm-bench-sampler-${process.pid}`;

const rows: Array<TickRow & { machine: Figure }> = [];
for (const size of SIZES) {
  const sleepers = await spawnSleepers(size);
  try {
    const rounds = ROUNDS;
    const row = await benchProcfsTick(sleepers.pids, registryName, rounds);
    const machine = benchMachineTick(sleepers.pids, registryName, rounds);
    rows.push({ ...row, machine });
    console.log(
      `${String(size).padStart(5)} processes: tick ${us(row.tick)}  machine tick ${us(machine)}  ` +
        `read-only ${us(row.readOnly)}  pidusage ${us(row.pidusage)}  ` +
        `pidusage/tick ${ratio(row.pidusage, row.tick)}  pidusage/read-only ${ratio(row.pidusage, row.readOnly)}`,
    );
  } finally {
    sleepers.kill();
  }
}

const table = [
  '| processes | tick: read + CPU% + write | tick through the xstate machine | read + CPU% only (stat, like pidusage) | pidusage 4.0.1 | pidusage ÷ tick | pidusage ÷ read-only |',
  '|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.processes} | ${us(r.tick)} | ${us(r.machine)} | ${us(r.readOnly)} | ${us(r.pidusage)} | ${ratio(r.pidusage, r.tick)} | ${ratio(r.pidusage, r.readOnly)} |`,
  ),
].join('\n');
const cpuTable = [
  '| processes | tick: read + CPU% + write | tick through the xstate machine | read + CPU% only | pidusage 4.0.1 | pidusage ÷ tick | pidusage ÷ read-only |',
  '|---:|---:|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.processes} | ${cpuUs(r.tick)} | ${cpuUs(r.machine)} | ${cpuUs(r.readOnly)} | ${cpuUs(r.pidusage)} | ${cpuRatio(r.pidusage, r.tick)} | ${cpuRatio(r.pidusage, r.readOnly)} |`,
  ),
].join('\n');
console.log(`\nWall clock, µs per sandbox per tick (median):\n${table}\n\nCPU time, µs per sandbox per tick (median):\n${cpuTable}\n`);

if (process.argv.includes('--write')) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  writeFileSync(
    new URL('../../BENCHMARKS.md', import.meta.url),
    `# @sandmeter/sampler benchmarks

Command: \`pnpm --filter @sandmeter/sampler bench --write\` (after \`pnpm --filter @sandmeter/sampler build\`;
without \`--write\` it only prints). \`BENCH_SIZES\` and \`BENCH_ROUNDS\` override the fleet sizes and rounds.

Run on Node ${process.version}, Linux ${release()}, ${cpus().length} × ${cpu}, a VM shared with other
work, so single figures move by tens of percent between runs; the ratios are the point.
Every figure is µs per sandbox per tick, the median of ${ROUNDS} rounds; a round samples every process
once (small fleets: as many times as make 1,000 samples). The processes are idle \`sleep\`s, spawned
for the run and killed after it.

- **tick**: what the sampler's port does per tick (\`takeSample\`): read /proc/<pid>/stat and
  /proc/<pid>/io (held open: one pread each), pair the read with the monotonic clock, compute CPU
  percent, write the sample into a real shared-memory registry slot.
- **xstate machine**: the same tick driven by N sampler actors on one batch clock, so it adds the
  actors' own event handling (the sample port's timer event, the outcome it sends the machine, the
  context update).
- **read-only**: the procfs source reading what pidusage reads (stat: CPU time and RSS) and computing
  CPU percent; no registry write.
- **pidusage**: \`await pidusage(pids)\` on the same processes. It keeps /proc/<pid>/stat open too, but
  reads it asynchronously through libuv's thread pool: its wall time per process shrinks with
  parallelism on idle cores while its CPU cost does not, hence both tables.

## Wall clock

${table}

## CPU time (all threads of the benchmark process)

${cpuTable}

## Reading the figures

- The floor is the kernel: one pread of /proc/<pid>/stat costs a few µs on this VM, /proc/<pid>/io
  about as much again. A tick is those two reads plus well under a µs of parsing, math and the
  seqlocked registry write.
- The machine adds xstate's event processing per tick: one step of the sample port (its timer event)
  and one macrostep of the sampler (the outcome event and its context update). Until 2026-12 a tick
  was a delayed transition re-entering \`sampling\`, a request to the port and its reply: two
  macrosteps of the sampler and one of the port. Run the same day on the same machine before the
  change, that version took 47.5 µs of CPU per tick through the machine against 15.0 µs for the
  bare tick at 1,000 processes: the xstate share per tick went from about 32 µs to about 16 µs.
  A host sampling 1,000 sandboxes once a second spends that many µs × 1,000 per second.
- Against pidusage on the same fields (read-only column), the procfs source is the ratio in the last
  column; with disk bytes and the registry write included it is the ratio before it.
`,
  );
  console.log('wrote BENCHMARKS.md');
}
