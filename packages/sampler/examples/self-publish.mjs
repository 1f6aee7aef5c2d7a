// In a runtime: publish your own slot, no host needed.
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from '@sandmeter/registry';
import { publishSelf } from '@sandmeter/sampler';

const registryName = `/sm-example-self-${process.pid}`;
const publisher = publishSelf({
  registry: registryName, // opened or created; closed again when the publisher ends
  sandboxId: 2,
  name: 'my-runtime',
  runId: 7,
  intervalMs: 250,
});

// ... the runtime does its work (busy, but yielding so the sampler's timer runs) ...
let x = 0;
for (const end = Date.now() + 1000; Date.now() < end; await sleep(1)) {
  for (const slice = Date.now() + 20; Date.now() < slice; ) x += Math.sqrt(x + 1);
}

const reader = Registry.open(registryName);
const row = reader.lookup(2);
console.log(`slot ${publisher.slot}: ${row?.name} pid=${row?.pid} cpu=${row?.cpuPercent?.toFixed(0)}%`);

console.log('stopped:', await publisher.stop());
console.log('after stop the last sample stays readable:', reader.lookup(2)?.state);
reader.close();
Registry.unlink(registryName);
