import { describe, expect, it } from 'vitest';
import { isSandmeterError } from '@sandmeter/registry';
import { parseExportArgs } from '../src/index.js';

const fails = (argv: string[]): string => {
  try {
    parseExportArgs(argv);
  } catch (err) {
    expect(isSandmeterError(err, 'SANDMETER_INVALID_ARGUMENT')).toBe(true);
    return (err as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('parseExportArgs', () => {
  it('reads every flag', () => {
    expect(
      parseExportArgs(['otel', '--registry', '/reg', '--namespace', 'microsandbox', '--endpoint', 'http://127.0.0.1:4318/v1/metrics', '--interval', '500', '--include-run-id', '--include-pid']),
    ).toEqual({
      kind: 'otel',
      options: { registryName: '/reg', namespace: 'microsandbox', endpoint: 'http://127.0.0.1:4318/v1/metrics', intervalMs: 500, includeRunId: true, includePid: true },
    });
    expect(parseExportArgs(['prometheus', '--msb-home', '/home/u/.microsandbox', '--port', '0', '--host', '::1'])).toEqual({
      kind: 'prometheus',
      options: { msbHome: '/home/u/.microsandbox', port: 0, host: '::1' },
    });
    expect(parseExportArgs(['stdout'])).toEqual({ kind: 'stdout', options: {} });
  });

  it('refuses bad input with a message that says what to do', () => {
    expect(fails([])).toMatch(/otel, prometheus or stdout/);
    expect(fails(['graphite'])).toMatch(/otel, prometheus or stdout/);
    expect(fails(['otel', 'extra'])).toMatch(/otel, prometheus or stdout/);
    expect(fails(['otel', '--bogus'])).toMatch(/usage/);
    expect(fails(['otel', '--interval', '0'])).toMatch(/--interval/);
    expect(fails(['otel', '--interval', '1.5'])).toMatch(/whole number/);
    expect(fails(['prometheus', '--port', '70000'])).toMatch(/--port/);
    expect(fails(['otel', '--endpoint', 'localhost:4318'])).toMatch(/http/);
    expect(fails(['otel', '--endpoint', 'not a url'])).toMatch(/not a URL/);
    expect(fails(['otel', '--port', '9464'])).toMatch(/prometheus only/);
    expect(fails(['prometheus', '--endpoint', 'http://x/'])).toMatch(/otel only/);
    expect(fails(['stdout', '--registry', '/a', '--msb-home', '/b'])).toMatch(/not both/);
    expect(fails(['stdout', '--msb-home', ''])).toMatch(/msb-home/);
    expect(fails(['stdout', '--namespace', 'has space'])).toMatch(/namespace/);
  });
});
