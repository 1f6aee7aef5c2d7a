// A real OTLP/HTTP receiver on 127.0.0.1: decodes each protobuf request
// with a hand-written subset of the OTLP schema and keeps it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const root = protobuf.loadSync(fileURLToPath(new URL('./fixtures/otlp-metrics.proto', import.meta.url)));
const Request = root.lookupType('sandmeter.test.otlp.ExportMetricsServiceRequest');

export interface DecodedPoint {
  value: number;
  attributes: Record<string, string | number | boolean>;
  startTimeUnixNano: number;
  timeUnixNano: number;
}

export interface DecodedMetric {
  name: string;
  unit: string;
  kind: 'gauge' | 'sum';
  isMonotonic?: boolean;
  aggregationTemporality?: number;
  points: DecodedPoint[];
}

export interface DecodedRequest {
  resource: Record<string, string | number | boolean>;
  scope: string;
  metrics: DecodedMetric[];
}

interface RawKeyValue {
  key: string;
  value?: { stringValue?: string; boolValue?: boolean; intValue?: number; doubleValue?: number };
}
interface RawPoint {
  asDouble?: number;
  asInt?: number;
  attributes?: RawKeyValue[];
  startTimeUnixNano?: number;
  timeUnixNano?: number;
}
interface RawMetric {
  name: string;
  unit?: string;
  gauge?: { dataPoints?: RawPoint[] };
  sum?: { dataPoints?: RawPoint[]; isMonotonic?: boolean; aggregationTemporality?: number };
}
interface RawRequest {
  resourceMetrics?: { resource?: { attributes?: RawKeyValue[] }; scopeMetrics?: { scope?: { name?: string }; metrics?: RawMetric[] }[] }[];
}

const attrs = (kvs: RawKeyValue[] = []) =>
  Object.fromEntries(kvs.map((kv) => [kv.key, kv.value?.stringValue ?? kv.value?.intValue ?? kv.value?.doubleValue ?? kv.value?.boolValue ?? '']));

export function decodeRequest(body: Uint8Array): DecodedRequest[] {
  const raw = Request.toObject(Request.decode(body), { longs: Number, defaults: false }) as RawRequest;
  const out: DecodedRequest[] = [];
  for (const rm of raw.resourceMetrics ?? []) {
    for (const sm of rm.scopeMetrics ?? []) {
      out.push({
        resource: attrs(rm.resource?.attributes),
        scope: sm.scope?.name ?? '',
        metrics: (sm.metrics ?? []).map((m) => {
          const data = m.gauge ?? m.sum;
          return {
            name: m.name,
            unit: m.unit ?? '',
            kind: m.gauge !== undefined ? 'gauge' : 'sum',
            ...(m.sum !== undefined && { isMonotonic: m.sum.isMonotonic ?? false, aggregationTemporality: m.sum.aggregationTemporality ?? 0 }),
            points: (data?.dataPoints ?? []).map((p) => ({
              value: p.asDouble ?? p.asInt ?? 0,
              attributes: attrs(p.attributes),
              startTimeUnixNano: p.startTimeUnixNano ?? 0,
              timeUnixNano: p.timeUnixNano ?? 0,
            })),
          };
        }),
      });
    }
  }
  return out;
}

export class OtlpReceiver {
  readonly requests: DecodedRequest[][] = [];
  /** Requests answered with an error status (when `failWith` is set). */
  refused = 0;
  failWith: number | undefined;
  #server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1/metrics`;
  }

  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/metrics' || req.headers['content-type'] !== 'application/x-protobuf') {
          res.writeHead(400).end();
          return;
        }
        if (this.failWith !== undefined) {
          this.refused++;
          res.writeHead(this.failWith).end();
          return;
        }
        this.requests.push(decodeRequest(Buffer.concat(chunks)));
        // An empty ExportMetricsServiceResponse is an empty protobuf message.
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** The latest value of a metric for one sandbox name, from the newest request that has it. */
  latest(metric: string, sandboxName: string): { metric: DecodedMetric; point: DecodedPoint } | undefined {
    for (let i = this.requests.length - 1; i >= 0; i--) {
      for (const req of this.requests[i]!) {
        const m = req.metrics.find((x) => x.name === metric);
        const p = m?.points.find((x) => x.attributes['sandbox.name'] === sandboxName);
        if (m !== undefined && p !== undefined) return { metric: m, point: p };
      }
    }
    return undefined;
  }
}
