// In a host: sample a sandbox process you started, into a registry you own.
import { spawn } from 'node:child_process';
import { Registry } from '@sandmeter/registry';
import { createActor, toPromise } from 'xstate';
import { procfsSource, samplerMachine } from '@sandmeter/sampler';

const registryName = `/sm-example-host-${process.pid}`;
const registry = Registry.openOrCreate(registryName, { capacity: 16 });

// The "sandbox": a shell that burns CPU for a while, then exits.
const sandbox = spawn('sh', ['-c', 'end=$(($(date +%s) + 2)); while [ $(date +%s) -lt $end ]; do :; done']);

const slot = registry.reserve({ sandboxId: 1, name: 'demo', memoryLimitBytes: 512 * 1024 * 1024 });
const writer = registry.activate({ ...slot, runId: 1, pid: sandbox.pid });
const sampler = createActor(samplerMachine, {
  input: { writer, source: procfsSource({ pid: sandbox.pid, tree: true }), intervalMs: 500, maxCpus: 2 },
}).start();

const show = setInterval(() => {
  const row = registry.lookup(1);
  console.log(`${row?.state} cpu=${row?.cpuPercent?.toFixed(0)}% rss=${row?.memoryBytes}`);
}, 600);

// The sampler ends by itself when the process is gone, releasing the slot as stale.
const output = await toPromise(sampler);
clearInterval(show);
console.log('sampler ended:', output, '| last sample kept:', registry.lookup(1)?.state);

registry.close();
Registry.unlink(registryName);
