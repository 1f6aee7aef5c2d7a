// What the reader's views cost on top of a raw registry snapshot of 1,024
// active slots: the alternative a dashboard would write by hand.
// Run: pnpm --filter @sandmeter/reader bench
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Registry } from '@sandmeter/registry';
import { Reader, fleetRates } from '@sandmeter/reader';

const ROUNDS = 9;
const name = `/sm-bench-reader-${randomBytes(4).toString('hex')}`;
const registry = Registry.create(name, { capacity: 1024 });

function medianUs(perRound: number, op: () => unknown): number {
  for (let i = 0; i < perRound; i++) op();
  const xs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) op();
    xs.push(Number(process.hrtime.bigint() - t0) / 1000 / perRound);
  }
  return xs.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

try {
  for (let i = 0; i < 1024; i++) {
    const r = registry.reserve({ sandboxId: i + 1, name: `sandbox-${i}` });
    registry.activate({ ...r, runId: i + 1 }).write({ memoryBytes: i, diskReadBytes: i, diskWriteBytes: i, netRxBytes: i, netTxBytes: i });
  }
  const reader = new Reader(registry);
  const before = registry.snapshot();
  const snapshot = medianUs(200, () => registry.snapshot());
  const rows: [string, number][] = [
    ['registry.snapshot() (the alternative)', snapshot],
    ['reader.reports() (snapshot + states)', medianUs(200, () => reader.reports())],
    ['reader.fleet() (keyed by name)', medianUs(200, () => reader.fleet())],
    ["reader.sandbox('sandbox-1000') (by name)", medianUs(200, () => reader.sandbox('sandbox-1000'))],
    ['reader.sandbox(1001) (by id)', medianUs(200, () => reader.sandbox(1001))],
    ['snapshot() + fleetRates(before, it)', medianUs(200, () => fleetRates(before, registry.snapshot()))],
  ];
  const lines = rows.map(([what, us]) => `| ${what} | ${us.toFixed(1)} µs | ${(us / snapshot).toFixed(2)}x snapshot |`);
  for (const l of lines) console.log(l);
  writeFileSync(
    fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url)),
    `# @sandmeter/reader benchmarks

Command: \`pnpm --filter @sandmeter/reader bench\`.
Machine: ${cpus()[0]?.model.trim() ?? 'unknown'} x${cpus().length}, Node ${process.version}; shared, so expect noise.
1,024 active slots; median of ${ROUNDS} rounds; written by bench/index.ts on ${new Date().toISOString().slice(0, 10)}.

| what | median | compared |
|---|---|---|
${lines.join('\n')}

The views are one pass over the snapshot; their cost over a bare snapshot is the price of
states, keying and rates. A lookup by name scans a snapshot; a lookup by id uses the
registry's own lookup.
`,
  );
  console.log('wrote BENCHMARKS.md');
} finally {
  registry.close();
  Registry.unlink(name, { missingOk: true });
}
