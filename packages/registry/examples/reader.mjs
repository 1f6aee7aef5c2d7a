// A reader process: prints the fleet of a registry, straight from shared memory.
// Run: node examples/reader.mjs /sandmeter-example
import { Registry } from '@sandmeter/registry';

const name = process.argv[2] ?? '/sandmeter-example';
const registry = Registry.open(name);
for (const m of registry.snapshot()) {
  console.log(`${m.name} (sandbox ${m.sandboxId}, pid ${m.pid}) ${m.state}: cpu ${m.cpuPercent ?? '-'}%, memory ${m.memoryBytes ?? '-'} B, disk written ${m.diskWriteBytes ?? '-'} B, up ${m.uptimeMs} ms`);
}
console.log(registry.usage());
registry.close();
