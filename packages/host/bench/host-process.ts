// `sandmeter host` as its own process, so its CPU and memory are measured alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostClient, socketAlive } from '@sandmeter/host';
import { Registry } from '@sandmeter/registry';

const CLI = fileURLToPath(new URL('../../bin/sandmeter.js', import.meta.url));

export interface HostProcess {
  pid: number;
  client: HostClient;
  registry: string;
  stop(): Promise<void>;
}

export async function startHostProcess(extraArgs: readonly string[] = []): Promise<HostProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-host-'));
  const socketPath = join(dir, 'host.sock');
  const registry = `/sm-bench-host-${process.pid}`;
  Registry.unlink(registry, { missingOk: true });
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'host', '--socket', socketPath, '--registry', registry, '--capacity', '1024', '--log-level', 'warn', ...extraArgs],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const cleanup = (): void => {
    rmSync(dir, { recursive: true, force: true });
    Registry.unlink(registry, { missingOk: true });
  };
  const deadline = Date.now() + 20_000;
  while (!(await socketAlive(socketPath))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      cleanup();
      throw new Error('the host did not start');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid as number,
    client: new HostClient({ socketPath, timeoutMs: 30_000 }),
    registry,
    async stop() {
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await done;
      cleanup();
    },
  };
}

/** Registers every pid, a few requests in flight at a time. */
export async function registerAll(client: HostClient, pids: readonly number[], processTree: boolean, concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pids.length) {
      const i = next++;
      await client.register({ name: `bench-${i}`, pid: pids[i] as number, processTree });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
