// Host CPU (% of one core) and RSS while `sandmeter host` samples N
// sandboxes at 1 Hz, the p99 latency of GET /v1/sandboxes under that load,
// and the alternatives: one pidusage call per process per second, and the
// host with one timer per sampler instead of coalesced timers. Medians over
// rounds. `--write` puts the tables into BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '@sandmeter/registry';
import { startHostProcess, registerAll } from './host-process.js';
import { routeLatency, type Latency } from './latency.js';
import { measureWindow, median } from './proc-stats.js';
import { startSleepers, type Sleepers } from './sleepers.js';

const SIZES = (process.env.SANDMETER_BENCH_SIZES ?? '100,1000').split(',').map(Number);
const ROUNDS = Number(process.env.SANDMETER_BENCH_ROUNDS ?? 5);
const WINDOW_MS = Number(process.env.SANDMETER_BENCH_WINDOW_MS ?? 10_000);
// Long enough for the JIT to settle: a cold host spends its first seconds compiling.
const WARMUP_MS = Number(process.env.SANDMETER_BENCH_WARMUP_MS ?? 10_000);
const LATENCY_REQUESTS = Number(process.env.SANDMETER_BENCH_REQUESTS ?? 300);

interface Variant {
  label: string;
  processTree: boolean;
  /** sandmeter host --timer-grid (undefined: the default 100 ms). */
  timerGrid?: number;
  latency: boolean;
}

interface Measured {
  n: number;
  variant: Variant;
  cpu: number;
  rss: number;
  fresh: number;
  list?: Latency;
  fleet?: Latency;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mib = (b: number): string => `${(b / 1024 ** 2).toFixed(0)} MiB`;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function rounds(pid: number): Promise<{ cpu: number; rss: number }> {
  const cpu: number[] = [];
  const rss: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const w = await measureWindow(pid, WINDOW_MS);
    cpu.push(w.cpuPercent);
    rss.push(w.rss);
    log(`    round ${r + 1}/${ROUNDS}: ${w.cpuPercent.toFixed(2)}% of one core, RSS ${mib(w.rss)}`);
  }
  return { cpu: median(cpu), rss: median(rss) };
}

/** Share of rows whose last sample is younger than 2.5 intervals: proof the host keeps up. */
function freshShare(registry: string, n: number): number {
  const reg = Registry.open(registry);
  try {
    const now = Date.now();
    return reg.snapshot().filter((r) => r.state === 'active' && now - r.sampledAtMs < 2500).length / n;
  } finally {
    reg.close();
  }
}

async function hostRun(sleepers: Sleepers, variant: Variant): Promise<Measured> {
  const n = sleepers.pids.length;
  const host = await startHostProcess(['--interval', '1000', ...(variant.timerGrid === undefined ? [] : ['--timer-grid', String(variant.timerGrid)])]);
  try {
    log(`  ${variant.label}: registering ${n} with the host (pid ${host.pid}), warming up`);
    await registerAll(host.client, sleepers.pids, variant.processTree);
    await sleep(WARMUP_MS);
    const stats = await rounds(host.pid);
    const out: Measured = { n, variant, cpu: stats.cpu, rss: stats.rss, fresh: freshShare(host.registry, n) };
    if (variant.latency) {
      log(`  GET /v1/sandboxes x ${LATENCY_REQUESTS}, GET /v1/metrics x ${Math.round(LATENCY_REQUESTS / 3)}`);
      out.list = await routeLatency(host.client, '/v1/sandboxes', LATENCY_REQUESTS);
      out.fleet = await routeLatency(host.client, '/v1/metrics', Math.round(LATENCY_REQUESTS / 3));
    }
    return out;
  } finally {
    await host.stop();
  }
}

async function pidusageRun(pids: readonly number[]): Promise<{ cpu: number; rss: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-pidusage-'));
  const file = join(dir, 'pids.json');
  writeFileSync(file, JSON.stringify(pids));
  const poller = spawn(process.execPath, [fileURLToPath(new URL('./pidusage-poller.js', import.meta.url)), file], { stdio: 'inherit' });
  try {
    log('  pidusage, one call per process per second:');
    await sleep(WARMUP_MS);
    return await rounds(poller.pid as number);
  } finally {
    const done = new Promise((r) => poller.once('exit', r));
    poller.kill('SIGTERM');
    await done;
    rmSync(dir, { recursive: true, force: true });
  }
}

const DEFAULT: Variant = { label: 'host, process trees (default)', processTree: true, latency: true };
const ALONE: Variant = { label: 'host, processes alone (processTree: false)', processTree: false, latency: false };
const FINE_GRID: Variant = { label: 'host, process trees, 20 ms timer grid (--timer-grid 20)', processTree: true, timerGrid: 20, latency: false };
const PLAIN_TIMERS: Variant = { label: 'host, process trees, one timer per sampler (--timer-grid 0)', processTree: true, timerGrid: 0, latency: false };

async function main(): Promise<void> {
  const measured: Measured[] = [];
  const alternatives = new Map<number, { cpu: number; rss: number }>();
  for (const n of SIZES) {
    log(`${n} sandboxes: starting ${n} sleep processes`);
    const sleepers = await startSleepers(n);
    try {
      for (const v of n >= 1000 ? [DEFAULT, ALONE, FINE_GRID, PLAIN_TIMERS] : [DEFAULT]) measured.push(await hostRun(sleepers, v));
      alternatives.set(n, await pidusageRun(sleepers.pids));
    } finally {
      await sleepers.kill();
    }
  }
  const pct = (v: number): string => `${v.toFixed(2)}%`;
  const main = ['| sandboxes at 1 Hz | setup | host CPU (% of one core) | host RSS | rows fresh | pidusage poller CPU | pidusage ÷ host |', '|---:|---|---:|---:|---:|---:|---:|'];
  for (const m of measured) {
    const alt = alternatives.get(m.n);
    main.push(`| ${m.n} | ${m.variant.label} | ${pct(m.cpu)} | ${mib(m.rss)} | ${(m.fresh * 100).toFixed(0)}% | ${alt === undefined ? '-' : pct(alt.cpu)} | ${alt === undefined ? '-' : `${(alt.cpu / m.cpu).toFixed(1)}×`} |`);
  }
  const coalesced = measured.find((m) => m.n >= 1000 && m.variant === DEFAULT);
  const plain = measured.find((m) => m.n >= 1000 && m.variant === PLAIN_TIMERS);
  const lat = ['| sandboxes | GET /v1/sandboxes p50 / p99 | body | GET /v1/metrics p50 / p99 | body |', '|---:|---:|---:|---:|---:|'];
  for (const m of measured) {
    if (m.list === undefined || m.fleet === undefined) continue;
    lat.push(`| ${m.n} | ${m.list.p50Ms.toFixed(2)} / ${m.list.p99Ms.toFixed(2)} ms | ${(m.list.bytes / 1024).toFixed(0)} KiB | ${m.fleet.p50Ms.toFixed(2)} / ${m.fleet.p99Ms.toFixed(2)} ms | ${(m.fleet.bytes / 1024).toFixed(0)} KiB |`);
  }
  const lines = [main.join('\n'), '', lat.join('\n')];
  if (coalesced !== undefined && plain !== undefined) lines.push('', `Coalesced timers vs one timer per sampler at ${coalesced.n}: ${(plain.cpu / coalesced.cpu).toFixed(2)}× less host CPU.`);
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  if (process.argv.includes('--write')) {
    const path = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));
    const doc = readFileSync(path, 'utf8');
    const begin = '<!-- results:begin -->';
    const end = '<!-- results:end -->';
    const at = doc.indexOf(begin);
    const to = doc.indexOf(end);
    if (at === -1 || to === -1) throw new Error(`BENCHMARKS.md needs ${begin} and ${end} markers`);
    const machine = `Node ${process.version}, Linux ${release()}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'} (shared with other work), ${ROUNDS} rounds of ${WINDOW_MS / 1000} s after ${WARMUP_MS / 1000} s of warm-up, ${new Date().toISOString().slice(0, 10)}.`;
    writeFileSync(path, `${doc.slice(0, at + begin.length)}\n${machine}\n\n${text}\n${doc.slice(to)}`);
    log(`wrote ${path}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
