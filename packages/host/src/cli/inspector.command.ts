// `sandmeter inspector`: a local bridge from WebSocket to the Stately
// inspector in a browser (@statelyai/inspect's server). Point a host at it
// with `sandmeter host --inspect ws://localhost:PORT`.
import { createInspectorServer } from '@statelyai/inspect/server';
import { intOption, parse, usageError } from './args.js';

export const INSPECTOR_USAGE = `usage: sandmeter inspector [--port N] [--no-open]
  --port N     WebSocket and page port (default 8080)
  --no-open    do not open a browser`;

export async function inspectorCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parse(argv, { port: { type: 'string' }, 'no-open': { type: 'boolean' } }, INSPECTOR_USAGE);
  if (positionals.length > 0) throw usageError(`unexpected argument ${positionals[0]}\n\n${INSPECTOR_USAGE}`);
  const port = intOption('port', values.port, 1, 65535) ?? 8080;
  const server = createInspectorServer({ port, autoOpen: values['no-open'] !== true });
  process.stderr.write(
    `inspector bridge on http://localhost:${port} (open it in a browser)\n` +
      `stream a host into it:  sandmeter host --inspect ws://localhost:${port}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.stop();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
