// A client of the control API over the unix socket (or a loopback URL):
// what `sandmeter run` uses to register with a running host.
import { request } from 'node:http';
import { HostError } from './errors.js';
import type { SandboxRecord, SandboxRegistration } from './types.js';

export interface ClientOptions {
  /** Unix socket path of the host. */
  socketPath?: string;
  /** Or a base URL such as http://127.0.0.1:7070. */
  baseUrl?: string;
  timeoutMs?: number;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

export class HostClient {
  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    if (options.socketPath === undefined && options.baseUrl === undefined) {
      throw new HostError('SANDMETER_USAGE', 400, 'give the client a socketPath or a baseUrl');
    }
    this.#options = options;
  }

  /** One request; resolves with any status (rejects only when the host cannot be reached). */
  request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const target = this.#options.baseUrl !== undefined ? new URL(path, this.#options.baseUrl) : undefined;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          method,
          ...(target !== undefined
            ? { host: target.hostname, port: target.port, path: target.pathname + target.search }
            : { socketPath: this.#options.socketPath, path }),
          headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          timeout: this.#options.timeoutMs ?? 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if (String(res.headers['content-type'] ?? '').startsWith('application/json')) {
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = text;
              }
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', (err) =>
        reject(new HostError('SANDMETER_HOST_UNREACHABLE', 503, `cannot reach the host (${err.message}); is \`sandmeter host\` running?`)),
      );
      req.end(payload);
    });
  }

  async register(registration: SandboxRegistration): Promise<SandboxRecord> {
    return (await this.#ok('POST', '/v1/sandboxes', registration, 201)).sandbox as SandboxRecord;
  }

  async unregister(id: number): Promise<SandboxRecord> {
    return (await this.#ok('DELETE', `/v1/sandboxes/${id}`, undefined, 200)).sandbox as SandboxRecord;
  }

  async list(): Promise<SandboxRecord[]> {
    return (await this.#ok('GET', '/v1/sandboxes', undefined, 200)).sandboxes as SandboxRecord[];
  }

  async #ok(method: string, path: string, body: unknown, expect: number): Promise<Record<string, unknown>> {
    const res = await this.request(method, path, body);
    if (res.status === expect && typeof res.body === 'object' && res.body !== null) return res.body as Record<string, unknown>;
    const err = (res.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new RemoteError(res.status, err?.code ?? 'SANDMETER_INTERNAL', err?.message ?? `unexpected answer ${res.status}: ${res.text.slice(0, 200)}`);
  }
}

/** An error answer of the host, with its code. */
export class RemoteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}
