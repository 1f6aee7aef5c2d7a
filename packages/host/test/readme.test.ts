// The README's examples run as written: the embedding example, and the
// curl session of the API section against a live host.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exited, socketIn, startHost, tempDir, track } from './helpers.js';

const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

function section(title: string, next: string): string {
  const at = readme.indexOf(title);
  const to = readme.indexOf(next, at + title.length);
  expect(at).toBeGreaterThan(-1);
  expect(to).toBeGreaterThan(at);
  return readme.slice(at, to);
}

describe('the README', () => {
  it('has an embedding example that runs and prints what it says', () => {
    const code = /```js\n([\s\S]*?)```/.exec(section('## Embedding a host', '## Watching'))?.[1];
    expect(code).toBeDefined();
    // Inside the package, so `@sandmeter/host` resolves to its own dist.
    const file = fileURLToPath(new URL(`../readme-example-${process.pid}.mjs`, import.meta.url));
    writeFileSync(file, code as string);
    try {
      const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^running 268435456\n\{ reason: 'exited', atMs: \d+, exitCode: 3, signal: null \}\nunregistered\n$/);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('has curl examples for every route that work against a host', async () => {
    const api = section('## Control API', '## `sandmeter run`');
    const script = [...api.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
    for (const route of ['POST /v1/sandboxes', 'GET /v1/sandboxes', 'GET /v1/sandboxes/:id', 'GET /v1/sandboxes/:id/metrics', 'GET /v1/metrics', 'GET /v1/events', 'GET /metrics', 'GET /healthz', 'DELETE /v1/sandboxes/:id']) {
      expect(api).toContain(`### \`${route}\``);
    }
    const socketPath = socketIn(tempDir('readme'));
    const host = await startHost({ socketPath, intervalMs: 1000 });
    // Its own process group, so the script's `sleep 600 &` goes too if the script fails.
    const sh = track(spawn('sh', ['-c', script], { env: { ...process.env, SANDMETER_SOCKET: socketPath }, stdio: ['ignore', 'pipe', 'pipe'], detached: true }));
    let out = '';
    let err = '';
    sh.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    sh.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    try {
      expect((await exited(sh)).code).toBe(0);
    } finally {
      try {
        process.kill(-(sh.pid as number), 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
    expect(err).toBe('');
    expect(out).toContain('{"sandbox":{"id":7,"name":"web-1"');
    expect(out).toContain('"code":"SANDMETER_NAME_TAKEN"');
    expect(out).toMatch(/"metrics":\{"id":7,"name":"web-1","state":"running"/);
    expect(out).toMatch(/"readBytesPerSec":\d/);
    expect(out).toMatch(/event: sample\ndata: \{"id":7/);
    expect(out).toContain('sandmeter_memory_limit_bytes{sandbox_name="web-1",sandbox_id="7"} 536870912');
    expect(out).toContain('"status":"ok"');
    expect(out).toContain('"status":"unregistered"');
    expect(out).toContain('"code":"SANDMETER_VALIDATION_FAILED"');
    expect(out).toContain('"code":"SANDMETER_METHOD_NOT_ALLOWED"');
    expect(host.get(7)?.status).toBe('unregistered');
  });
});
