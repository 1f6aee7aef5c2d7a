// Test helpers: unique registry names, temp dirs, hosts and child processes,
// all removed after each test, also when it fails.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '@sandmeter/registry';
import { afterEach } from 'vitest';
import { createHost, type Host } from '../src/host.js';
import type { HostOptions } from '../src/host-options.js';

const names = new Set<string>();
const dirs = new Set<string>();
const hosts = new Set<Host>();
const children = new Set<ChildProcess>();

export const CLI = fileURLToPath(new URL('../bin/sandmeter.js', import.meta.url));

export function uniqueName(tag = 'host'): string {
  const name = `/sm-test-${tag}-${process.pid}-${randomBytes(4).toString('hex')}`;
  names.add(name);
  return name;
}

export function trackName(name: string): string {
  names.add(name);
  return name;
}

/** A private temp dir (0700), removed after the test. */
export function tempDir(tag = 'host'): string {
  const dir = mkdtempSync(join(tmpdir(), `sm-test-${tag}-`));
  dirs.add(dir);
  return dir;
}

export function socketIn(dir: string): string {
  return join(dir, 'host.sock');
}

/** A started host on a fresh registry; stopped after the test. */
export async function startHost(options: HostOptions = {}): Promise<Host> {
  const host = createHost({ registry: uniqueName(), capacity: 64, intervalMs: 100, livenessPollMs: 50, ...options });
  hosts.add(host);
  await host.start();
  return host;
}

/** A child process killed after the test. */
export function child(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const c = spawn(command, [...args], { stdio: 'ignore', ...options });
  children.add(c);
  return c;
}

export const sleeper = (seconds = 60): ChildProcess => child('sleep', [String(seconds)]);

export function exited(c: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve({ code: c.exitCode, signal: c.signalCode });
  return new Promise((resolve) => c.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Polls until `check` returns a value other than undefined / false (generous timeout, no wall-clock asserts). */
export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function track(c: ChildProcess): ChildProcess {
  children.add(c);
  return c;
}

afterEach(async () => {
  for (const h of hosts) await h.stop().catch(() => undefined);
  hosts.clear();
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGKILL');
      await exited(c);
    }
  }
  children.clear();
  for (const n of names) Registry.unlink(n, { missingOk: true });
  names.clear();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs.clear();
});
