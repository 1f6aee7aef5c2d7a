// `sandmeter export otel|prometheus|stdout [flags]`: argv to options,
// with a typed error (code SANDMETER_INVALID_ARGUMENT) for anything wrong.
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@sandmeter/registry';
import { checkNamespace } from './definitions.js';

export type ExportKind = 'otel' | 'prometheus' | 'stdout';

export const EXPORT_KINDS: readonly ExportKind[] = ['otel', 'prometheus', 'stdout'];

export interface ExportOptions {
  registryName?: string;
  msbHome?: string;
  namespace?: string;
  /** otel: the OTLP/HTTP metrics URL. */
  endpoint?: string;
  /** Collection (otel) or print (stdout) interval, ms. */
  intervalMs?: number;
  /** prometheus: listen port. */
  port?: number;
  /** prometheus: listen address (default 127.0.0.1). */
  host?: string;
  includeRunId?: boolean;
  includePid?: boolean;
}

export interface ParsedExportArgs {
  kind: ExportKind;
  options: ExportOptions;
}

export const EXPORT_USAGE = `usage: sandmeter export otel|prometheus|stdout [options]
  --registry NAME      registry to read (default: sandmeter's per-user registry)
  --msb-home PATH      read the registry of the microsandbox home PATH instead
  --namespace NS       metric name prefix (default sandmeter; microsandbox for its names)
  --endpoint URL       otel: OTLP/HTTP metrics URL (default http://localhost:4318/v1/metrics)
  --interval MS        otel/stdout: collection interval (default 1000)
  --port N             prometheus: port for GET /metrics (default 9464)
  --host ADDR          prometheus: listen address (default 127.0.0.1)
  --include-run-id     add the run id attribute (one series per run)
  --include-pid        add the pid attribute`;

const FLAGS = {
  registry: { type: 'string' },
  'msb-home': { type: 'string' },
  namespace: { type: 'string' },
  endpoint: { type: 'string' },
  interval: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'include-run-id': { type: 'boolean' },
  'include-pid': { type: 'boolean' },
} as const;

/** Parses the words after `export`, e.g. `['otel', '--endpoint', 'http://127.0.0.1:4318/v1/metrics']`. */
export function parseExportArgs(argv: readonly string[]): ParsedExportArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new InvalidArgumentError('arguments', `${(err as Error).message}\n${EXPORT_USAGE}`);
  }
  const { values, positionals } = parsed;
  const [kind, ...extra] = positionals;
  if (kind === undefined || !(EXPORT_KINDS as readonly string[]).includes(kind) || extra.length > 0) {
    throw new InvalidArgumentError('kind', `name one exporter: otel, prometheus or stdout\n${EXPORT_USAGE}`);
  }
  const only = (flag: keyof typeof FLAGS, kinds: readonly ExportKind[]) => {
    if (values[flag] !== undefined && !kinds.includes(kind as ExportKind)) {
      throw new InvalidArgumentError(`--${flag}`, `applies to ${kinds.join(' and ')} only`);
    }
  };
  only('endpoint', ['otel']);
  only('interval', ['otel', 'stdout']);
  only('port', ['prometheus']);
  only('host', ['prometheus']);

  const options: ExportOptions = {};
  if (values.registry !== undefined && values['msb-home'] !== undefined) {
    throw new InvalidArgumentError('--registry', 'give --registry or --msb-home, not both');
  }
  if (values.registry !== undefined) options.registryName = values.registry;
  if (values['msb-home'] !== undefined) {
    if (values['msb-home'] === '') throw new InvalidArgumentError('--msb-home', 'give the path of the microsandbox home');
    options.msbHome = values['msb-home'];
  }
  if (values.namespace !== undefined) options.namespace = checkNamespace(values.namespace);
  if (values.endpoint !== undefined) options.endpoint = checkUrl(values.endpoint);
  if (values.interval !== undefined) options.intervalMs = wholeNumber('--interval', values.interval, 1, 2 ** 31 - 1);
  if (values.port !== undefined) options.port = wholeNumber('--port', values.port, 0, 65535);
  if (values.host !== undefined) options.host = values.host;
  if (values['include-run-id'] === true) options.includeRunId = true;
  if (values['include-pid'] === true) options.includePid = true;
  return { kind: kind as ExportKind, options };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(flag, `"${text}" is not a whole number from ${min} to ${max}`);
  }
  return n;
}

function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError('--endpoint', `"${text}" is not a URL; give the full OTLP/HTTP metrics URL, e.g. http://127.0.0.1:4318/v1/metrics`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('--endpoint', `"${text}" must be an http or https URL`);
  }
  return text;
}
