// A MetricReader that collects only when asked: the collector decides when
// to read and what to do with each collection (buffer, retry, drop).
import { MetricReader } from '@opentelemetry/sdk-metrics';
import type { MetricReaderOptions } from '@opentelemetry/sdk-metrics';

export class PullMetricReader extends MetricReader {
  constructor(options?: MetricReaderOptions) {
    super(options);
  }

  protected override async onShutdown(): Promise<void> {}

  protected override async onForceFlush(): Promise<void> {}
}
