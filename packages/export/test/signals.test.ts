import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRegistries, freshRegistry, startSandbox, waitFor } from './helpers.js';
import { OtlpReceiver } from './otlp-receiver.js';

const fixture = fileURLToPath(new URL('./fixtures/otel-export.mjs', import.meta.url));
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))) {
    throw new Error('the fixture imports the built package: run `pnpm --filter @sandmeter/export build` first');
  }
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const c of cleanups.splice(0)) await c();
  cleanupRegistries();
});

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [fixture, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (b: Buffer) => (out.stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out.stderr += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, out, exited };
}

describe('sandmeter export otel as a process', () => {
  it('drains once on SIGTERM: the last collection reaches the backend, then it exits 0', async () => {
    const rx = new OtlpReceiver();
    await rx.start();
    cleanups.push(() => rx.stop());
    const reg = freshRegistry();
    startSandbox(reg, 'proc', 5).write({ memoryBytes: 11 });
    // A long interval: only the start-up collection goes out on its own.
    const p = run(['otel', '--registry', reg.name, '--endpoint', rx.url, '--interval', '600000']);
    await waitFor(() => `the first export (stderr: ${p.out.stderr})`, () => rx.requests.length === 1);
    startSandbox(reg, 'late', 6).write({ memoryBytes: 22 });
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(rx.requests).toHaveLength(2);
    expect(rx.latest('sandmeter.memory.usage', 'late')?.point.value).toBe(22);
    const drained = p.out.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; stats?: { exportsSucceeded: number } });
    expect(drained.find((l) => l.msg === 'collector drained')?.stats?.exportsSucceeded).toBe(2);
  });

  it('a second signal while draining exits at once', async () => {
    // A backend that takes requests and never answers keeps the drain waiting.
    const hung: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          hung.close(() => resolve());
          hung.closeAllConnections();
        }),
    );
    const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/v1/metrics`;
    const reg = freshRegistry();
    startSandbox(reg, 'x', 1).write({});
    const p = run(['otel', '--registry', reg.name, '--endpoint', url, '--interval', '600000'], { SM_EXPORT_TIMEOUT_MS: '600000' });
    await waitFor('the exporter to start', () => p.out.stdout.includes('ready'));
    p.child.kill('SIGINT');
    // Two signals sent back to back may merge into one; wait until the first was handled.
    await waitFor('the drain to begin', () => p.out.stderr.includes('stopping exporter'));
    p.child.kill('SIGINT');
    expect(await p.exited).toEqual({ code: 130, signal: null });
  });

  it('exits non-zero with a typed message for bad arguments', async () => {
    const p = run(['otel', '--interval', 'soon']);
    const { code } = await p.exited;
    expect(code).not.toBe(0);
    expect(p.out.stderr).toMatch(/SANDMETER_INVALID_ARGUMENT|--interval/);
  });
});
