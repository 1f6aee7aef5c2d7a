// `sandmeter metrics [NAME] [--all] [--json] [--watch]`: the fleet straight
// from shared memory, as a table like `docker stats`. Rates need two
// samples, so the first table comes one interval after the start.
import { Reader, type FleetFrame } from '@sandmeter/reader';
import { Registry, isSandmeterError } from '@sandmeter/registry';
import { systemCpuCount } from '@sandmeter/sampler';
import { HostClient } from '../client.js';
import { HostError } from '../errors.js';
import { defaultSocketPath, socketAlive } from '../socket-path.js';
import { intOption, parse, usageError } from './args.js';
import { registryNameFrom } from './common.js';
import { renderStatsTable, sortRows, toStatsRow, type StatsRow } from './stats-table.js';

export const METRICS_USAGE = `usage: sandmeter metrics [NAME] [options]
  NAME               only this sandbox
  --all              include exited sandboxes
  --json             JSON instead of a table (with --watch: one JSON line per refresh)
  --watch            refresh every interval until Ctrl-C
  --interval MS      refresh / rate window (default 1000)
  --registry NAME    registry to read (default /sandmeter-<uid>-v3 or $SANDMETER_REGISTRY)
  --msb-home PATH    read the registry of the microsandbox installation at PATH
  --socket PATH      host to ask for CPU allocations (default: the host's default path)`;

const FLAGS = {
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  watch: { type: 'boolean' },
  interval: { type: 'string' },
  registry: { type: 'string' },
  'msb-home': { type: 'string' },
  socket: { type: 'string' },
} as const;

/** CPU allocations of the host's sandboxes by slot/run; empty when no host answers. */
async function allocations(socketPath: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!(await socketAlive(socketPath, 300))) return out;
  try {
    for (const r of await new HostClient({ socketPath, timeoutMs: 1000 }).list()) out.set(`${r.slot}/${r.runId}`, r.maxCpus);
  } catch {
    // No allocations: the table falls back to this machine's CPU count.
  }
  return out;
}

export function openForReading(name: string): Registry {
  try {
    return Registry.open(name);
  } catch (err) {
    if (isSandmeterError(err, 'SANDMETER_NOT_FOUND')) {
      throw new HostError('SANDMETER_REGISTRY_NOT_FOUND', 404, `no registry ${name} on this machine; start \`sandmeter host\` (or \`sandmeter demo\`) first, or pass --registry`);
    }
    throw err;
  }
}

export function frameRows(frame: FleetFrame, alloc: Map<string, number>, options: { all: boolean; name: string | undefined }): StatsRow[] {
  const cpus = systemCpuCount();
  const rows: StatsRow[] = [];
  for (const [name, report] of frame.sandboxes) {
    if (options.name !== undefined && name !== options.name) continue;
    if (!options.all && options.name === undefined && report.state === 'exited') continue;
    const m = report.metrics;
    rows.push(toStatsRow(report, frame.rates.get(name), alloc.get(`${m.slot}/${m.runId}`) ?? cpus, frame.atMs));
  }
  return sortRows(rows);
}

export async function metricsCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, FLAGS, METRICS_USAGE);
  if (positionals.length > 1) throw usageError(`give at most one sandbox name\n\n${METRICS_USAGE}`);
  const name = positionals[0];
  const intervalMs = intOption('interval', values.interval, 100, 3_600_000) ?? 1000;
  const registry = openForReading(registryNameFrom(values.registry, values['msb-home']));
  const alloc = await allocations(values.socket ?? defaultSocketPath());
  const ac = new AbortController();
  const onSignal = (): void => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const tty = process.stdout.isTTY === true && values.json !== true;
  try {
    let frames = 0;
    for await (const frame of new Reader(registry).watchFleet({ intervalMs, signal: ac.signal })) {
      frames++;
      // The first frame has no rates yet: show it only when watching.
      if (frames === 1 && values.watch !== true) continue;
      const rows = frameRows(frame, alloc, { all: values.all === true, name });
      if (name !== undefined && rows.length === 0 && values.watch !== true) {
        throw new HostError('SANDMETER_SANDBOX_NOT_FOUND', 404, `no sandbox named ${JSON.stringify(name)} in ${registry.name}; list them with \`sandmeter metrics --all\``);
      }
      if (values.json === true) {
        process.stdout.write(`${JSON.stringify(values.watch === true ? { atMs: frame.atMs, sandboxes: rows } : rows)}\n`);
      } else {
        const table = renderStatsTable(rows);
        process.stdout.write(tty && values.watch === true ? `\x1b[H\x1b[2J${table}\n` : `${table}\n${values.watch === true ? '\n' : ''}`);
      }
      if (values.watch !== true) break;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    registry.close();
  }
}
