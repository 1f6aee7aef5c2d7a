// `sandmeter host`: the supervisor as a daemon, until SIGINT or SIGTERM.
import { unrefClock } from '@sandmeter/sampler';
import { CoalescingClock } from '../coalescing-clock.js';
import { createHost } from '../host.js';
import { stopOnSignals } from '../signals.js';
import { defaultSocketPath } from '../socket-path.js';
import { intOption, parse, usageError } from './args.js';
import { LOG_FLAGS, loggerFrom, registryNameFrom } from './common.js';
import { checkInspectUrl } from '../inspector.js';

export const HOST_USAGE = `usage: sandmeter host [options]
  --socket PATH      control API socket (default $XDG_RUNTIME_DIR/sandmeter/host.sock,
                     else /tmp/sandmeter-<uid>/host.sock; or $SANDMETER_SOCKET)
  --port N           also serve the API on 127.0.0.1:N (0 picks a free port)
  --registry NAME    shared-memory registry (default /sandmeter-<uid>-v3 or $SANDMETER_REGISTRY)
  --capacity N       slots when the registry is created (default 1024)
  --interval MS      default sampling interval (default 1000)
  --inspect URL      stream the actors to a WebSocket inspector (ws://127.0.0.1:8080)
  --timer-grid MS    coalesce sampler timers on this grid (default 100; 0: one timer each)
  --pretty           human-readable logs instead of JSON lines
  --log-level L      trace|debug|info|warn|error|silent (default info)`;

export async function hostCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      socket: { type: 'string' },
      port: { type: 'string' },
      registry: { type: 'string' },
      capacity: { type: 'string' },
      interval: { type: 'string' },
      inspect: { type: 'string' },
      'timer-grid': { type: 'string' },
      ...LOG_FLAGS,
    },
    HOST_USAGE,
  );
  if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]}\n\n${HOST_USAGE}`);
  const logger = loggerFrom(values, 'info', 1);
  const port = intOption('port', values.port, 0, 65535);
  const capacity = intOption('capacity', values.capacity, 1, 1 << 20);
  const intervalMs = intOption('interval', values.interval, 50, 3_600_000);
  const grid = intOption('timer-grid', values['timer-grid'], 0, 1000);
  const host = createHost({
    registry: registryNameFrom(values.registry),
    ...(capacity === undefined ? {} : { capacity }),
    ...(intervalMs === undefined ? {} : { intervalMs }),
    socketPath: values.socket ?? defaultSocketPath(),
    ...(port === undefined ? {} : { tcp: { port } }),
    ...(values.inspect === undefined ? {} : { inspect: checkInspectUrl(values.inspect) }),
    ...(grid === undefined ? {} : { clock: grid === 0 ? unrefClock : new CoalescingClock(grid) }),
    logger,
  });
  stopOnSignals(() => host.stop(), {
    onFirst: (signal) => logger.info({ event: 'host.signal', signal }, `${signal}: stopping (send it again to exit at once)`),
    onSecond: (signal) => logger.warn({ event: 'host.signal', signal }, `${signal} again: exiting now`),
  });
  await host.start();
}
