// `sandmeter run [options] -- CMD...`: runs a command as a sandbox. With a
// host listening on the socket, the command is registered there (the host
// watches its pid); without one, an in-process host samples it until it
// exits. Either way the exit code is the command's.
import type { ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { constants } from 'node:os';
import { HostClient } from '../client.js';
import { createHost } from '../host.js';
import { defaultSocketPath, socketAlive } from '../socket-path.js';
import { spawnProcess, type ExitInfo } from '../spawn-process.js';
import type { SandboxRegistration } from '../types.js';
import { intOption, labelOptions, numberOption, parse, sizeOption, usageError } from './args.js';
import { LOG_FLAGS, loggerFrom, registryNameFrom } from './common.js';
import { endSummary } from './summary.js';

export const RUN_USAGE = `usage: sandmeter run [options] -- CMD [ARGS...]
  --name N           sandbox name (default: <command>-<pid>)
  --id N             sandbox id (default: assigned)
  --memory-limit S   memory limit to publish (e.g. 512m, 2g)
  --max-cpus N       CPUs the sandbox may use (CPU percent is clamped to it)
  --interval MS      sampling interval (default: the host's, 1000)
  --upper-image P    host path of the sandbox's upper image
  --label K=V        a label (repeatable)
  --socket PATH      host socket to register with (default: the host's default path)
  --in-process       do not look for a host; sample in this process
  --registry NAME    registry for the in-process host
  --quiet            no summary line when the command ends
  --pretty, --log-level L   logs (stderr; default level warn)`;

const FLAGS = {
  name: { type: 'string' },
  id: { type: 'string' },
  'memory-limit': { type: 'string' },
  'max-cpus': { type: 'string' },
  interval: { type: 'string' },
  'upper-image': { type: 'string' },
  label: { type: 'string', multiple: true },
  socket: { type: 'string' },
  'in-process': { type: 'boolean' },
  registry: { type: 'string' },
  quiet: { type: 'boolean' },
  ...LOG_FLAGS,
} as const;

function exitCodeOf(info: ExitInfo): number {
  if (info.exitCode !== null) return info.exitCode;
  const n = info.signal === null ? undefined : constants.signals[info.signal as NodeJS.Signals];
  return n === undefined ? 1 : 128 + n;
}

/** Ctrl-C and SIGTERM go to the command; it decides when to end. */
function forwardSignals(child: ChildProcess): () => void {
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return () => {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  };
}

export async function runCommand(argv: readonly string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const flagArgs = dash === -1 ? argv : argv.slice(0, dash);
  const { values, positionals } = parse(flagArgs, FLAGS, RUN_USAGE);
  const command = dash === -1 ? positionals : [...positionals, ...argv.slice(dash + 1)];
  const [cmd, ...args] = command;
  if (cmd === undefined) throw usageError(`give a command after --\n\n${RUN_USAGE}`);
  const logger = loggerFrom(values, 'warn', 2);
  const id = intOption('id', values.id, 1, 0x7fffffff);
  const intervalMs = intOption('interval', values.interval, 50, 3_600_000);
  const maxCpus = numberOption('max-cpus', values['max-cpus'], 0, 4096);
  const memoryLimitBytes = sizeOption('memory-limit', values['memory-limit']);
  const labels = labelOptions(values.label);
  const base: Omit<SandboxRegistration, 'name' | 'pid'> = {
    ...(id === undefined ? {} : { id }),
    ...(intervalMs === undefined ? {} : { intervalMs }),
    ...(maxCpus === undefined ? {} : { maxCpus }),
    ...(memoryLimitBytes === undefined ? {} : { memoryLimitBytes }),
    ...(values['upper-image'] === undefined ? {} : { upperImagePath: values['upper-image'] }),
    ...(labels === undefined ? {} : { labels }),
  };
  const say = (line: string): void => {
    if (values.quiet !== true) process.stderr.write(`sandmeter: ${line}\n`);
  };

  const socketPath = values.socket ?? defaultSocketPath();
  if (values['in-process'] !== true && (await socketAlive(socketPath))) {
    const proc = await spawnProcess({ command: cmd, args });
    const unforward = forwardSignals(proc.child);
    const client = new HostClient({ socketPath });
    try {
      const record = await client.register({ ...base, name: values.name ?? `${basename(cmd)}-${proc.pid}`, pid: proc.pid });
      logger.info({ event: 'run.registered', id: record.id, name: record.name, socket: socketPath }, 'registered with the host');
    } catch (err) {
      proc.child.kill('SIGTERM');
      await proc.exited;
      unforward();
      throw err;
    }
    const info = await proc.exited;
    unforward();
    return exitCodeOf(info);
  }

  const host = createHost({ registry: registryNameFrom(values.registry), logger, ...(intervalMs === undefined ? {} : { intervalMs }) });
  await host.start();
  let unforward = (): void => undefined;
  try {
    const spawned = await host.spawn({ ...base, command: cmd, args, ...(values.name === undefined ? {} : { name: values.name }) });
    unforward = forwardSignals(spawned.child);
    const info = await spawned.exited;
    const record = await host.waitForEnd(spawned.record.id);
    const last = host.registry.read(record.slot);
    say(endSummary(record, last?.runId === record.runId ? last : undefined));
    return exitCodeOf(info);
  } finally {
    unforward();
    await host.stop();
  }
}
