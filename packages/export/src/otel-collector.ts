// The OTLP collector loop: collect every interval into a capped buffer,
// export oldest first, back off (capped, exponential) while the backend is
// down, count everything, and drain once on the way out.
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { pino, type Logger } from 'pino';
import { InvalidArgumentError } from '@sandmeter/registry';
import { Backoff, type BackoffOptions } from './backoff.js';
import { CappedBuffer } from './capped-buffer.js';
import { exportResource, type ResourceAttributes } from './resource.js';
import type { AttributeOptions } from './rows.js';
import { SandboxMeter } from './sandbox-meter.js';
import type { CollectorStats } from './self-metrics.js';
import { checkSource, type SnapshotSource } from './source.js';

export interface OtelCollectorOptions extends AttributeOptions {
  namespace?: string;
  /** OTLP/HTTP metrics URL, e.g. http://127.0.0.1:4318/v1/metrics. Default: the SDK's (OTEL_EXPORTER_OTLP_* env, else localhost:4318). */
  endpoint?: string;
  headers?: Record<string, string>;
  /** Time between collections, ms (default 1000). */
  intervalMs?: number;
  /** Collections held while the backend is down (default 60); beyond it the oldest are dropped. */
  bufferSize?: number;
  backoff?: BackoffOptions;
  /** Time one export may take, the SDK's own retries included, ms (default 5000). */
  exportTimeoutMs?: number;
  /** Added to the resource; `sandmeter.registry` names the registry when given. */
  resourceAttributes?: ResourceAttributes;
  registryName?: string;
  /** Ship the collector's own counters as metrics too (default true). */
  selfMetrics?: boolean;
  /** Where to send; default an OTLP/HTTP protobuf exporter for `endpoint`. */
  exporter?: PushMetricExporter;
  logger?: Logger;
}

const EXPORT_SUCCESS = 0; // ExportResultCode.SUCCESS in @opentelemetry/core

export class OtelCollector {
  readonly intervalMs: number;
  #meter: SandboxMeter;
  #exporter: PushMetricExporter;
  #buffer: CappedBuffer<ResourceMetrics>;
  #backoff: Backoff;
  #log: Logger;
  #succeeded = 0;
  #failed = 0;
  #consecutiveFailures = 0;
  #lastSuccessMs: number | undefined;
  #running = false;
  /** Set once drain() begins: nothing new is collected or retried. */
  #closed = false;
  #tickTimer: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #nextTickAt = 0;
  #pumping: Promise<void> | undefined;
  #collecting: Promise<void> | undefined;
  #drained: Promise<CollectorStats> | undefined;
  #backendDown = false;

  constructor(source: SnapshotSource, options: OtelCollectorOptions = {}) {
    checkSource(source);
    this.intervalMs = options.intervalMs ?? 1000;
    if (!Number.isInteger(this.intervalMs) || this.intervalMs < 1 || this.intervalMs > 2 ** 31 - 1) {
      throw new InvalidArgumentError('intervalMs', 'the collection interval is a whole number of milliseconds, 1 to 2147483647');
    }
    this.#buffer = new CappedBuffer(options.bufferSize ?? 60);
    this.#backoff = new Backoff({ initialMs: Math.min(1000, this.intervalMs), ...options.backoff });
    this.#log = options.logger ?? pino({ level: 'silent' });
    this.#meter = new SandboxMeter(source, {
      ...options,
      resource: exportResource(options.registryName, options.resourceAttributes),
      ...(options.selfMetrics === false ? {} : { stats: () => this.stats() }),
    });
    this.#exporter =
      options.exporter ??
      new OTLPMetricExporter({
        ...(options.endpoint === undefined ? {} : { url: options.endpoint }),
        ...(options.headers === undefined ? {} : { headers: options.headers }),
        timeoutMillis: options.exportTimeoutMs ?? 5000,
      });
  }

  stats(): CollectorStats {
    return {
      exportsSucceeded: this.#succeeded,
      exportsFailed: this.#failed,
      collectionsDropped: this.#buffer.dropped,
      lastSuccessMs: this.#lastSuccessMs,
      buffered: this.#buffer.size,
      consecutiveFailures: this.#consecutiveFailures,
    };
  }

  /** Starts collecting now and every interval. */
  start(): void {
    if (this.#running || this.#closed) return;
    this.#running = true;
    this.#nextTickAt = Date.now();
    this.#tick();
  }

  /** Takes one collection into the buffer and starts exporting it. */
  async collectNow(): Promise<void> {
    if (this.#closed) return;
    if (this.#collecting === undefined) {
      this.#collecting = this.#collect().finally(() => {
        this.#collecting = undefined;
      });
    }
    await this.#collecting;
    this.#pump();
  }

  /**
   * Stops collecting, takes a last collection, and gives each buffered
   * collection one try, oldest first; after the first failure the rest are
   * dropped (counted). Then shuts the exporter down. Safe to call twice.
   */
  drain(): Promise<CollectorStats> {
    this.#drained ??= this.#drain();
    return this.#drained;
  }

  async #drain(): Promise<CollectorStats> {
    this.#running = false;
    this.#closed = true;
    clearTimeout(this.#tickTimer);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    await this.#collecting;
    await this.#pumping;
    await this.#collect();
    let item: ResourceMetrics | undefined;
    while ((item = this.#buffer.shift()) !== undefined) {
      if (!(await this.#exportOne(item))) {
        this.#buffer.unshift(item);
        this.#buffer.discard();
        break;
      }
    }
    await this.#exporter.shutdown().catch(() => undefined);
    await this.#meter.shutdown().catch(() => undefined);
    const stats = this.stats();
    this.#log.info({ stats }, 'collector drained');
    return stats;
  }

  #tick(): void {
    if (!this.#running) return;
    void this.collectNow();
    this.#nextTickAt = Math.max(this.#nextTickAt + this.intervalMs, Date.now());
    this.#tickTimer = setTimeout(() => this.#tick(), this.#nextTickAt - Date.now());
  }

  async #collect(): Promise<void> {
    try {
      this.#buffer.push(await this.#meter.collect());
    } catch (err) {
      this.#log.error({ err }, 'collection failed; the next interval tries again');
    }
  }

  /** Exports buffered collections oldest first until one fails, then waits out the backoff. */
  #pump(): void {
    if (this.#pumping !== undefined || this.#retryTimer !== undefined || this.#closed) return;
    this.#pumping = (async () => {
      let item: ResourceMetrics | undefined;
      while (!this.#closed && (item = this.#buffer.shift()) !== undefined) {
        if (await this.#exportOne(item)) continue;
        this.#buffer.unshift(item);
        if (!this.#closed) {
          const delay = this.#backoff.next();
          this.#retryTimer = setTimeout(() => {
            this.#retryTimer = undefined;
            this.#pump();
          }, delay);
        }
        return;
      }
    })().finally(() => {
      this.#pumping = undefined;
    });
  }

  #exportOne(item: ResourceMetrics): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      try {
        this.#exporter.export(item, (result) => resolve(this.#record(result.code === EXPORT_SUCCESS, result.error)));
      } catch (err) {
        resolve(this.#record(false, err));
      }
    });
  }

  #record(ok: boolean, error: unknown): boolean {
    if (ok) {
      this.#succeeded++;
      this.#consecutiveFailures = 0;
      this.#lastSuccessMs = Date.now();
      this.#backoff.reset();
      if (this.#backendDown) this.#log.info({ stats: this.stats() }, 'OTLP backend reachable again');
      this.#backendDown = false;
    } else {
      this.#failed++;
      this.#consecutiveFailures++;
      // One warning per outage, not one per attempt.
      if (!this.#backendDown) this.#log.warn({ err: error }, 'OTLP export failed; buffering and backing off');
      this.#backendDown = true;
    }
    return ok;
  }
}
