// The `sandmeter` command: one subcommand per file under cli/.
import { isSandmeterError } from '@sandmeter/registry';
import { RemoteError } from './client.js';
import { HostError } from './errors.js';
import { demoCommand, DEMO_USAGE } from './cli/demo.command.js';
import { EXPORT_USAGE, exportCommand } from './cli/export.command.js';
import { HOST_USAGE, hostCommand } from './cli/host.command.js';
import { INSPECTOR_USAGE, inspectorCommand } from './cli/inspector.command.js';
import { METRICS_USAGE, metricsCommand } from './cli/metrics.command.js';
import { RUN_USAGE, runCommand } from './cli/run.command.js';

const USAGE = `sandmeter: live metrics for sandboxes

usage: sandmeter <command> [options]

commands:
  host        run the supervisor and its control API
  run         run a command as a sandbox (registered with a running host, or sampled in-process)
  metrics     show the fleet like docker stats
  demo        a host with three real workloads, a live table for a few seconds, then a clean stop
  export      ship the registry to Prometheus, OpenTelemetry or stdout
  inspector   a local bridge to the Stately inspector (for host --inspect)

sandmeter <command> --help shows the command's options.`;

const HELP: Record<string, string> = {
  host: HOST_USAGE,
  run: RUN_USAGE,
  metrics: METRICS_USAGE,
  demo: DEMO_USAGE,
  export: EXPORT_USAGE,
  inspector: INSPECTOR_USAGE,
};

/** Runs the command line; resolves with an exit code, or undefined when the command keeps running (host, export). */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${command === 'help' && rest[0] !== undefined ? (HELP[rest[0]] ?? USAGE) : USAGE}\n`);
    return 0;
  }
  // For run, only flags before `--` are sandmeter's (the command may have its own --help).
  const own = command === 'run' && rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if ((own.includes('--help') || own.includes('-h')) && HELP[command] !== undefined) {
    process.stdout.write(`${HELP[command]}\n`);
    return 0;
  }
  switch (command) {
    case 'host':
      await hostCommand(rest);
      return undefined;
    case 'run':
      return runCommand(rest);
    case 'metrics':
      return metricsCommand(rest);
    case 'demo':
      return demoCommand(rest);
    case 'export':
      await exportCommand(rest);
      return undefined;
    case 'inspector':
      await inspectorCommand(rest);
      return 0;
    default:
      throw new HostError('SANDMETER_USAGE', 400, `unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  }
}

/** An error as one line with its code; usage errors exit 2, the rest 1. */
export function reportError(err: unknown): number {
  if (err instanceof HostError || err instanceof RemoteError || isSandmeterError(err)) {
    process.stderr.write(`sandmeter: error ${err.code}: ${err.message}\n`);
    return err instanceof HostError && err.code === 'SANDMETER_USAGE' ? 2 : 1;
  }
  process.stderr.write(`sandmeter: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  let code: number | undefined;
  try {
    code = await main(argv);
  } catch (err) {
    code = reportError(err);
  }
  if (code !== undefined) {
    // Let stdout drain before leaving; nothing else may hold the process (an inspector's reconnect timer would).
    process.exitCode = code;
    setImmediate(() => process.exit(code));
  }
}
