// End to end: bad requests against a host process get a 4xx JSON error
// with a stable code, and the host keeps serving.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { alive, startHostProcess, track } from './helpers/host-process.js';
import { spawn } from 'node:child_process';

describe('a host process under bad requests', () => {
  it('answers each with 4xx JSON and stays up', async () => {
    const host = await startHostProcess('bad');
    const sleeper = track(spawn('sleep', ['60'], { stdio: 'ignore' }));
    const huge = JSON.stringify({ name: 'huge', pid: sleeper.pid, labels: { pad: 'x'.repeat(200_000) } });
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/v1/sandboxes', '{not json', 400, 'SANDMETER_BAD_JSON'],
      ['POST', '/v1/sandboxes', { name: 'x', pid: sleeper.pid, unknownField: 1 }, 400, 'SANDMETER_VALIDATION_FAILED'],
      ['POST', '/v1/sandboxes', { name: ['x'], pid: '12' }, 400, 'SANDMETER_VALIDATION_FAILED'],
      ['POST', '/v1/sandboxes', huge, 413, 'SANDMETER_BODY_TOO_LARGE'],
      ['GET', '/v1/sandboxes/424242', undefined, 404, 'SANDMETER_SANDBOX_NOT_FOUND'],
      ['DELETE', '/v1/sandboxes/424242', undefined, 404, 'SANDMETER_SANDBOX_NOT_FOUND'],
      ['GET', '/v1/sandboxes/424242/metrics', undefined, 404, 'SANDMETER_SANDBOX_NOT_FOUND'],
      ['PATCH', '/v1/sandboxes', '{}', 405, 'SANDMETER_METHOD_NOT_ALLOWED'],
      ['GET', '/nope', undefined, 404, 'SANDMETER_ROUTE_NOT_FOUND'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await host.client.request(method, path, body);
      expect({ method, path, status: res.status, code: (res.body as { error?: { code?: string } }).error?.code }).toEqual({ method, path, status, code });
    }
    // A client that sends half a request and vanishes.
    await new Promise<void>((resolve) => {
      const req = request({ socketPath: host.socketPath, method: 'POST', path: '/v1/sandboxes', headers: { 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('{"name":');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    // Still serving, and a good request still works.
    expect((await host.client.request('GET', '/healthz')).status).toBe(200);
    expect((await host.client.register({ name: 'fine', pid: sleeper.pid as number })).status).toBe('running');
    expect(alive(host.proc.pid as number)).toBe(true);
    expect(host.proc.exitCode).toBe(null);
  });
});
