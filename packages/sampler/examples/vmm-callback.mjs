// A VMM with counters of its own: a callback source, published by the runtime.
import { Registry } from '@sandmeter/registry';
import { callbackSource, publishSelf, SANDBOX_GONE } from '@sandmeter/sampler';

// Stand-in for the VMM's counter block.
const vmm = { running: true, vcpuNs: 0, guestUsed: 300 << 20, guestAvailable: 212 << 20, blockRead: 0, blockWritten: 0 };
const tick = setInterval(() => {
  vmm.vcpuNs += 150_000_000; // 1.5 vCPUs busy per 100 ms
  vmm.blockWritten += 64 * 1024;
}, 100);

const source = callbackSource({
  kind: 'vmm',
  fields: ['cpuTimeNs', 'memoryBytes', 'memoryAvailableBytes', 'diskReadBytes', 'diskWriteBytes', 'upperUsedBytes', 'upperFreeBytes', 'upperSampledAtMs'],
  read: () =>
    vmm.running
      ? {
          cpuTimeNs: vmm.vcpuNs,
          memoryBytes: vmm.guestUsed,
          memoryAvailableBytes: vmm.guestAvailable,
          diskReadBytes: vmm.blockRead,
          diskWriteBytes: vmm.blockWritten,
          // The guest agent's own view of its upper filesystem, with its own stamp.
          upperUsedBytes: 53_248,
          upperFreeBytes: 450_527_232,
          upperSampledAtMs: Date.now(),
        }
      : SANDBOX_GONE,
});

const registryName = `/sm-example-vmm-${process.pid}`;
const publisher = publishSelf({ registry: registryName, sandboxId: 3, name: 'microvm', runId: 3, source, intervalMs: 200, maxCpus: 2, keepAlive: true });

setTimeout(() => {
  const reader = Registry.open(registryName);
  const row = reader.lookup(3);
  console.log(`cpu=${row?.cpuPercent?.toFixed(0)}% used=${row?.memoryBytes} written=${row?.diskWriteBytes} upperFree=${row?.upperFreeBytes}`);
  reader.close();
  vmm.running = false; // the VM shut down: the next tick sees it gone
}, 1000);

console.log('sampler ended:', await publisher.done);
clearInterval(tick);
Registry.unlink(registryName);
