// `sandmeter demo`: a host with three real workloads (CPU-bound,
// memory-growing, disk-writing) in a registry of its own, the live table
// for a few seconds, then a clean stop: every child gone, every slot
// released (stale, last sample kept), the registry unlinked.
import type { ChildProcess } from 'node:child_process';
import { Reader } from '@sandmeter/reader';
import { Registry } from '@sandmeter/registry';
import { createHost, type Host } from '../host.js';
import { checkInspectUrl } from '../inspector.js';
import { pidExists } from '../liveness.actor.js';
import { stopOnSignals } from '../signals.js';
import { WORKLOAD_KINDS, workloadScript, type WorkloadKind } from '../workloads/index.js';
import { intOption, parse, usageError } from './args.js';
import { LOG_FLAGS, loggerFrom } from './common.js';
import { frameRows } from './metrics.command.js';
import { renderStatsTable } from './stats-table.js';

export const DEMO_USAGE = `usage: sandmeter demo [options]
  --seconds N        how long to show the live table (default 8)
  --interval MS      sampling and refresh interval (default 1000)
  --socket PATH      also serve the control API here while the demo runs
  --inspect URL      stream the actors to a WebSocket inspector (ws://127.0.0.1:8080)
  --pretty, --log-level L   host logs on stderr (default level warn)`;

const LIMITS: Record<WorkloadKind, { memoryLimitBytes: number; maxCpus: number }> = {
  'cpu-burn': { memoryLimitBytes: 256 * 1024 ** 2, maxCpus: 1 },
  'memory-grow': { memoryLimitBytes: 512 * 1024 ** 2, maxCpus: 1 },
  'disk-write': { memoryLimitBytes: 256 * 1024 ** 2, maxCpus: 1 },
};

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function showTable(host: Host, seconds: number, intervalMs: number, signal: AbortSignal): Promise<void> {
  const tty = process.stdout.isTTY === true;
  const startedAt = Date.now();
  let frames = 0;
  for await (const frame of new Reader(host.registry, { intervalMs }).watchFleet({ intervalMs, signal })) {
    if (frames++ === 0) continue; // no rates before the second frame
    const elapsed = ((frame.atMs - startedAt) / 1000).toFixed(0);
    const table = renderStatsTable(frameRows(frame, new Map(host.list().map((r) => [`${r.slot}/${r.runId}`, r.maxCpus])), { all: true, name: undefined }));
    const title = `sandmeter demo: ${elapsed}s of ${seconds}s (Ctrl-C stops early)`;
    process.stdout.write(tty ? `\x1b[H\x1b[2J${title}\n\n${table}\n` : `${title}\n${table}\n\n`);
    if (frame.atMs - startedAt >= seconds * 1000) break;
  }
}

export async function demoCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { seconds: { type: 'string' }, interval: { type: 'string' }, socket: { type: 'string' }, inspect: { type: 'string' }, ...LOG_FLAGS },
    DEMO_USAGE,
  );
  if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]}\n\n${DEMO_USAGE}`);
  const seconds = intOption('seconds', values.seconds, 1, 3600) ?? 8;
  const intervalMs = intOption('interval', values.interval, 100, 60_000) ?? 1000;
  const registryName = `/sandmeter-demo-${process.pid}`;
  Registry.unlink(registryName, { missingOk: true });
  const host = createHost({
    registry: registryName,
    capacity: 16,
    intervalMs,
    logger: loggerFrom(values, 'warn', 2),
    ...(values.socket === undefined ? {} : { socketPath: values.socket }),
    ...(values.inspect === undefined ? {} : { inspect: checkInspectUrl(values.inspect) }),
  });
  const ac = new AbortController();
  const removeSignals = stopOnSignals(
    async () => ac.abort(),
    { exit: () => undefined, onSecond: () => process.exit(130) },
  );
  const children: ChildProcess[] = [];
  let registryUnlinked = false;
  try {
    say(`sandmeter demo: starting a host on registry ${registryName}`);
    await host.start();
    if (host.addresses.socketPath !== undefined) say(`control API: curl --unix-socket ${host.addresses.socketPath} http://localhost/v1/sandboxes`);
    for (const kind of WORKLOAD_KINDS) {
      const spawned = await host.spawn({
        command: process.execPath,
        args: [workloadScript(kind)],
        name: kind,
        stdio: 'ignore',
        env: { ...process.env, SANDMETER_WORKLOAD_MAX_MS: String((seconds + 60) * 1000) },
        labels: { demo: 'true' },
        ...LIMITS[kind],
      });
      children.push(spawned.child);
      say(`  started ${kind} (pid ${spawned.record.pid}, sandbox id ${spawned.record.id}, slot ${spawned.record.slot})`);
    }
    await showTable(host, seconds, intervalMs, ac.signal);
  } finally {
    say('stopping: samplers release their slots as stale, workloads get SIGTERM');
    await host.stop();
    removeSignals();
    // The last samples stay readable after the stop; show them, then clean up.
    try {
      const reg = Registry.open(registryName);
      try {
        const rows = reg.snapshot();
        const usage = reg.usage();
        process.stdout.write(`${rows.map((r) => `  ${r.name}: ${r.state}, last sample ${new Date(r.sampledAtMs).toISOString()}, memory ${Math.round((r.memoryBytes ?? 0) / 1024 ** 2)} MiB`).join('\n')}\n`);
        say(`slots: ${usage.active} active, ${usage.reserved} reserved, ${usage.stale} stale (last samples kept), ${usage.free} free`);
      } finally {
        reg.close();
      }
      Registry.unlink(registryName);
      registryUnlinked = true;
    } catch (err) {
      say(`could not read or unlink ${registryName}: ${(err as Error).message}`);
    }
  }
  const left = children.filter((c) => c.pid !== undefined && pidExists(c.pid));
  say(`processes left: ${left.length}; registry ${registryName} ${registryUnlinked ? 'unlinked' : 'NOT unlinked'}`);
  return left.length === 0 && registryUnlinked ? 0 : 1;
}
