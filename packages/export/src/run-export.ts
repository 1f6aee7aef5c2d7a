// `sandmeter export <kind>` as a function: open the registry, run the
// exporter, stop cleanly (and exit on SIGINT/SIGTERM unless told not to).
import type { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import type { Registry } from '@sandmeter/registry';
import { InvalidArgumentError } from '@sandmeter/registry';
import { EXPORT_KINDS, type ExportKind, type ExportOptions } from './args.js';
import type { BackoffOptions } from './backoff.js';
import { OtelCollector } from './otel-collector.js';
import { createPrometheusRegistry } from './prometheus-registry.js';
import { startPrometheusServer } from './prometheus-server.js';
import { openRegistry, resolveRegistryName } from './registry-target.js';
import type { ResourceAttributes } from './resource.js';
import { exitOnSignals } from './signals.js';
import type { SnapshotSource } from './source.js';
import { runStdoutExporter } from './stdout-exporter.js';

export interface RunExportOptions extends ExportOptions {
  /** Read this source instead of opening `registryName` / `msbHome` (it stays open after stop). */
  source?: SnapshotSource;
  /** SIGINT/SIGTERM stop the exporter (otel: drain once) and exit the process. Default true. */
  signals?: boolean;
  /** Default: pino JSON lines on stderr (stdout belongs to the stdout exporter). */
  logger?: Logger;
  /** stdout exporter: where lines go (default process.stdout). */
  output?: Writable;
  /** otel: collections buffered while the backend is down (default 60). */
  bufferSize?: number;
  /** otel: retry delays. */
  backoff?: BackoffOptions;
  /** otel: time one export may take, ms (default 5000). */
  exportTimeoutMs?: number;
  /** otel: extra resource attributes. */
  resourceAttributes?: ResourceAttributes;
}

export interface ExportHandle {
  kind: ExportKind;
  /** prometheus: the exposition URL. */
  url?: string;
  /** otel: the collector (stats()). */
  collector?: OtelCollector;
  /** Stops the exporter (otel: drains once) and closes what it opened. Safe to call twice. */
  stop(): Promise<void>;
}

export async function runExport(kind: ExportKind, options: RunExportOptions = {}): Promise<ExportHandle> {
  if (!EXPORT_KINDS.includes(kind)) throw new InvalidArgumentError('kind', 'name one exporter: otel, prometheus or stdout');
  const log = options.logger ?? pino({ name: 'sandmeter-export', level: process.env.SANDMETER_LOG_LEVEL ?? 'info' }, pino.destination({ dest: 2, sync: true }));
  let opened: Registry | undefined;
  const source = options.source ?? (opened = openRegistry(options));
  const registryName = options.source === undefined ? resolveRegistryName(options) : (source as Partial<Registry>).name;
  const attrs = { includeRunId: options.includeRunId ?? false, includePid: options.includePid ?? false };
  const namespace = options.namespace;

  let stopInner: () => Promise<unknown>;
  const handle: ExportHandle = { kind, stop: async () => undefined };
  try {
    if (kind === 'prometheus') {
      const server = await startPrometheusServer(createPrometheusRegistry(source, { ...attrs, ...(namespace && { namespace }) }), {
        ...(options.host !== undefined && { host: options.host }),
        ...(options.port !== undefined && { port: options.port }),
      });
      handle.url = server.url;
      stopInner = () => server.close();
      log.info({ url: server.url, registry: registryName }, 'serving Prometheus metrics');
    } else if (kind === 'otel') {
      const collector = new OtelCollector(source, {
        ...attrs,
        ...(namespace && { namespace }),
        ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
        ...(options.intervalMs !== undefined && { intervalMs: options.intervalMs }),
        ...(options.bufferSize !== undefined && { bufferSize: options.bufferSize }),
        ...(options.backoff !== undefined && { backoff: options.backoff }),
        ...(options.exportTimeoutMs !== undefined && { exportTimeoutMs: options.exportTimeoutMs }),
        ...(options.resourceAttributes !== undefined && { resourceAttributes: options.resourceAttributes }),
        ...(registryName !== undefined && { registryName }),
        logger: log,
      });
      collector.start();
      handle.collector = collector;
      stopInner = () => collector.drain();
      log.info({ endpoint: options.endpoint ?? 'SDK default', registry: registryName, intervalMs: collector.intervalMs }, 'exporting OTLP metrics');
    } else {
      const ac = new AbortController();
      const loop = runStdoutExporter(source, {
        ...attrs,
        ...(namespace && { namespace }),
        ...(options.intervalMs !== undefined && { intervalMs: options.intervalMs }),
        ...(options.output !== undefined && { output: options.output }),
        signal: ac.signal,
      });
      loop.catch((err: unknown) => log.error({ err }, 'stdout exporter stopped'));
      stopInner = () => {
        ac.abort();
        return loop.catch(() => undefined);
      };
    }
  } catch (err) {
    opened?.close();
    throw err;
  }

  let stopped: Promise<void> | undefined;
  let removeSignals = (): void => undefined;
  handle.stop = () =>
    (stopped ??= (async () => {
      log.info({ kind }, 'stopping exporter');
      try {
        await stopInner();
      } finally {
        opened?.close();
        removeSignals();
      }
    })());
  // Handlers stay until the stop is done: a second signal while stopping exits at once.
  if (options.signals !== false) removeSignals = exitOnSignals(handle.stop);
  return handle;
}
