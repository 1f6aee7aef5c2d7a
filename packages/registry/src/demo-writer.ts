// One writer process of the demo: reserve, activate, publish, release.
import { Registry } from './registry.js';

const [name = '', sandboxName = 'sandbox', id = '1'] = process.argv.slice(2);
const registry = Registry.open(name);
const reservation = registry.reserve({ sandboxId: Number(id), name: sandboxName, memoryLimitBytes: 512 * 2 ** 20 });
const writer = registry.activate({ ...reservation, runId: Number(id) * 100 });

let cpuNs = 0;
let written = 0;
const timer = setInterval(() => {
  cpuNs += 2e8 * Number(id);
  written += 4096 * Number(id) * 100;
  writer.write({
    cpuPercent: 20 * Number(id),
    vcpuTimeNs: cpuNs,
    memoryBytes: (64 + 32 * Number(id)) * 2 ** 20 + (written % 2 ** 20),
    diskReadBytes: 0,
    diskWriteBytes: written,
  });
}, 200);

process.on('message', () => {
  clearInterval(timer);
  writer.release('stale');
  registry.close();
  process.exit(0);
});
