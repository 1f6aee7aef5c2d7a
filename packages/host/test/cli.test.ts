// The `sandmeter` command, run as a real child process (bin/sandmeter.js on dist/).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Registry, microsandboxRegistryName } from '@sandmeter/registry';
import { describe, expect, it } from 'vitest';
import { HostClient } from '../src/client.js';
import { socketAlive } from '../src/socket-path.js';
import { CLI, exited, sleeper, socketIn, tempDir, track, trackName, uniqueName, until } from './helpers.js';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sandmeter(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const c = track(spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  c.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return exited(c).then(({ code }) => ({ code, stdout, stderr }));
}

/** `sandmeter host` in the background on a fresh registry and socket. */
async function backgroundHost() {
  const registry = uniqueName('cli');
  const socketPath = socketIn(tempDir('cli'));
  const proc = track(spawn(process.execPath, [CLI, 'host', '--socket', socketPath, '--registry', registry, '--interval', '100'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  let log = '';
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  await until(() => socketAlive(socketPath), 'the host socket');
  return { proc, registry, socketPath, client: new HostClient({ socketPath }), log: () => log };
}

describe('sandmeter', () => {
  it('metrics --msb-home reads the registry of a microsandbox installation', async () => {
    const home = tempDir('msb');
    const name = trackName(microsandboxRegistryName(home));
    const reg = Registry.create(name, { capacity: 4 });
    try {
      const r = reg.reserve({ sandboxId: 3, name: 'msb-vm', memoryLimitBytes: 2 ** 30 });
      // This process owns the slot, so it reads as running.
      reg.activate({ ...r, runId: 3 }).write({ cpuPercent: 50, vcpuTimeNs: 1e9, memoryBytes: 100 * 2 ** 20 });
      const out = await sandmeter(['metrics', '--msb-home', home, '--json', '--interval', '100']);
      expect(out.code).toBe(0);
      expect(out.stdout).toContain('"msb-vm"');
      const both = await sandmeter(['metrics', '--msb-home', home, '--registry', name]);
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('SANDMETER_USAGE');
    } finally {
      reg.close();
    }
  });

  it('prints help, and says SANDMETER_USAGE (exit 2) for an unknown command or flag', async () => {
    const help = await sandmeter(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('demo');
    const runHelp = await sandmeter(['run', '--help']);
    expect(runHelp.code).toBe(0);
    expect(runHelp.stdout).toMatch(/^usage: sandmeter run/);
    const bad = await sandmeter(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^sandmeter: error SANDMETER_USAGE: unknown command "frobnicate"/);
    const flag = await sandmeter(['metrics', '--frob']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('SANDMETER_USAGE');
  });

  it('run --in-process samples the command and exits with its exit code', async () => {
    const registry = uniqueName('cli-run');
    const res = await sandmeter(['run', '--in-process', '--registry', registry, '--name', 'four', '--interval', '100', '--', process.execPath, '-e', 'setTimeout(() => process.exit(4), 400)']);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/sandmeter: four \(id \d+\) exited with code 4 after/);
    const reg = Registry.open(registry);
    try {
      expect(reg.snapshot().map((r) => [r.name, r.state])).toEqual([['four', 'stale']]);
    } finally {
      reg.close();
    }
  });

  it('run registers with a running host; the host sees the command exit; SIGTERM stops the host cleanly', async () => {
    const h = await backgroundHost();
    const res = await sandmeter(['run', '--socket', h.socketPath, '--name', 'via-host', '--', 'sh', '-c', 'sleep 0.5; exit 6']);
    expect(res.code).toBe(6);
    const ended = await until(async () => (await h.client.list()).find((r) => r.name === 'via-host' && r.status === 'exited'), 'the host to see the exit');
    expect(ended.end?.reason).toBe('gone');
    expect(h.log()).toContain('"event":"sandbox.registered"');
    // A second registration of a running name is refused.
    const p = sleeper();
    await h.client.register({ name: 'busy', pid: p.pid as number });
    const dup = await sandmeter(['run', '--socket', h.socketPath, '--name', 'busy', '--', 'sleep', '5']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('SANDMETER_NAME_TAKEN');

    h.proc.kill('SIGTERM');
    expect((await exited(h.proc)).code).toBe(0);
    expect(existsSync(h.socketPath)).toBe(false);
    expect(h.log()).toContain('"event":"host.stopped"');
    const reg = Registry.open(h.registry);
    try {
      expect(reg.usage()).toMatchObject({ active: 0, reserved: 0 });
      expect(reg.snapshot().find((r) => r.name === 'busy')?.state).toBe('stale');
    } finally {
      reg.close();
    }
  });

  it('metrics shows the fleet as JSON and as a table, and says which name or registry is missing', async () => {
    const h = await backgroundHost();
    const p = sleeper();
    await h.client.register({ name: 'table-me', pid: p.pid as number, maxCpus: 3, memoryLimitBytes: 64 * 1024 * 1024 });
    const json = await sandmeter(['metrics', '--json', '--registry', h.registry, '--socket', h.socketPath, '--interval', '200']);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(rows).toEqual([expect.objectContaining({ name: 'table-me', state: 'running', cpuAllocation: 3, memoryLimitBytes: 64 * 1024 * 1024, diskWritePerSec: 0 })]);
    const table = await sandmeter(['metrics', 'table-me', '--registry', h.registry, '--socket', h.socketPath, '--interval', '200']);
    expect(table.stdout).toMatch(/^NAME\s+ID\s+STATE\s+CPU \(cores\)/);
    expect(table.stdout).toMatch(/table-me\s+1\s+running\s+0\.00 \/ 3\s+[\d.]+\w+ \/ 64\.0MiB/);
    const missing = await sandmeter(['metrics', 'nope', '--registry', h.registry, '--interval', '100']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SANDMETER_SANDBOX_NOT_FOUND');
    const noRegistry = await sandmeter(['metrics', '--registry', uniqueName('absent')]);
    expect(noRegistry.code).toBe(1);
    expect(noRegistry.stderr).toContain('SANDMETER_REGISTRY_NOT_FOUND');
  });

  it('export hands over to @sandmeter/export (stdout lines until SIGTERM)', async () => {
    const h = await backgroundHost();
    const p = sleeper();
    await h.client.register({ name: 'exported', pid: p.pid as number });
    const exp = track(spawn(process.execPath, [CLI, 'export', 'stdout', '--registry', h.registry, '--interval', '200'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    exp.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await until(() => /^sandmeter name="exported" id=1 state=running /m.test(out), 'an exported line');
    exp.kill('SIGTERM');
    expect((await exited(exp)).code).toBe(0);
    const bad = await sandmeter(['export', 'carrier-pigeon']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('SANDMETER_INVALID_ARGUMENT');
  });

  it('demo runs three workloads, shows them live, and leaves no process, slot or shm object behind', async () => {
    const res = await sandmeter(['demo', '--seconds', '2', '--interval', '300']);
    expect(res.code).toBe(0);
    for (const name of ['cpu-burn', 'memory-grow', 'disk-write']) expect(res.stdout).toMatch(new RegExp(`${name}\\s+\\d+\\s+running`));
    expect(res.stderr).toMatch(/slots: 0 active, 0 reserved, 3 stale/);
    const left = /processes left: (\d+); registry (\S+) unlinked/.exec(res.stderr);
    expect(left?.[1]).toBe('0');
    expect(existsSync(`/dev/shm/${left?.[2]?.slice(1)}`)).toBe(false);
  });
});
