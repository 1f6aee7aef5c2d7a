// A writer process: owns one slot and publishes a sample every 200 ms.
// Run: node examples/writer.mjs /sandmeter-example   (Ctrl-C to stop)
import { Registry } from '@sandmeter/registry';

const name = process.argv[2] ?? '/sandmeter-example';
const registry = Registry.openOrCreate(name, { capacity: 64 });
const { slot, generation } = registry.reserve({ sandboxId: 42, name: 'web-1', memoryLimitBytes: 512 * 2 ** 20 });
const writer = registry.activate({ slot, generation, runId: 1 });
console.log(`writer ${process.pid} publishes into slot ${slot} of ${name}`);

let cpuNs = 0;
const timer = setInterval(() => {
  cpuNs += 50_000_000;
  writer.write({ cpuPercent: 25, vcpuTimeNs: cpuNs, memoryBytes: 128 * 2 ** 20, diskReadBytes: 0, diskWriteBytes: cpuNs / 1000 });
}, 200);

const stop = () => {
  clearInterval(timer);
  writer.release('stale'); // the last sample stays readable
  registry.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
setTimeout(stop, Number(process.env.RUN_MS ?? 60_000));
