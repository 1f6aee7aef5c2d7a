// `sandmeter host` as a real child process on a fresh registry and socket,
// plus the child processes a test registers with it. Everything (processes,
// socket directory, shm object) is removed after each test, also on failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '@sandmeter/registry';
import { HostClient, socketAlive } from '@sandmeter/host';
import { afterEach } from 'vitest';

export const CLI = fileURLToPath(new URL('../../packages/host/bin/sandmeter.js', import.meta.url));

const names = new Set<string>();
const dirs = new Set<string>();
const children = new Set<ChildProcess>();

export function uniqueName(tag: string): string {
  const name = `/sm-test-e2e-${tag}-${process.pid}-${randomBytes(4).toString('hex')}`;
  names.add(name);
  return name;
}

export function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sm-test-e2e-${tag}-`));
  dirs.add(dir);
  return dir;
}

export function track<T extends ChildProcess>(c: T): T {
  children.add(c);
  return c;
}

export function exited(c: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve({ code: c.exitCode, signal: c.signalCode });
  return new Promise((resolve) => c.once('exit', (code, signal) => resolve({ code, signal })));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface HostProcess {
  proc: ChildProcess;
  registry: string;
  socketPath: string;
  client: HostClient;
  log(): string;
}

export async function startHostProcess(tag: string, extraArgs: readonly string[] = []): Promise<HostProcess> {
  const registry = uniqueName(tag);
  const socketPath = join(tempDir(tag), 'host.sock');
  const proc = track(
    spawn(process.execPath, [CLI, 'host', '--socket', socketPath, '--registry', registry, '--capacity', '64', ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let log = '';
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  await until(() => socketAlive(socketPath) || proc.exitCode !== null, 'the host socket');
  if (proc.exitCode !== null) throw new Error(`the host exited at start:\n${log}`);
  return { proc, registry, socketPath, client: new HostClient({ socketPath }), log: () => log };
}

/** Opens the registry from outside the host (the way any reader does). */
export function openRegistry(name: string): Registry {
  return Registry.open(name);
}

afterEach(async () => {
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
