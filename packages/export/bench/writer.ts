// The other side of the benchmark, in its own process so its CPU is not
// counted: 1,000 active slots written every second, an OTLP sink that
// answers 200, and a Prometheus-style scraper hitting /metrics every second.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from '@sandmeter/registry';
import type { SlotWriter } from '@sandmeter/registry';

const [name, countText] = process.argv.slice(2);
const count = Number(countText);
const reg = Registry.open(name!);
const writers: SlotWriter[] = [];
const started = Date.now();
for (let i = 0; i < count; i++) {
  const r = reg.reserve({ sandboxId: i + 1, name: `sandbox-${String(i).padStart(4, '0')}`, memoryLimitBytes: 2 ** 30 });
  writers.push(reg.activate({ ...r, runId: 100_000 + i, startedAtMs: started }));
}
let tick = 0;
const writeAll = () => {
  tick++;
  for (let i = 0; i < writers.length; i++) {
    writers[i]!.write({
      cpuPercent: (i % 200) + tick / 10,
      vcpuTimeNs: tick * 1e9 + i,
      memoryBytes: 2 ** 28 + i * 4096 + tick,
      diskReadBytes: tick * 65536 + i,
      diskWriteBytes: tick * 32768 + i,
      netRxBytes: tick * 1500 * i,
      netTxBytes: tick * 900 * i,
      upperUsedBytes: 2 ** 24 + tick,
      upperFreeBytes: 2 ** 30 - tick,
      upperHostAllocatedBytes: 2 ** 24,
    });
  }
};
writeAll();
const writer = setInterval(writeAll, 1000);

let received = 0;
const sink = createServer((req, res) => {
  req.on('data', (b: Buffer) => (received += b.length));
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
});
sink.listen(0, '127.0.0.1', () => process.send!({ ready: true, sinkPort: (sink.address() as AddressInfo).port }));

let scraper: ReturnType<typeof setInterval> | undefined;
let scraped = 0;
process.on('message', (msg: { scrape?: string; stop?: boolean }) => {
  if (msg.scrape !== undefined) {
    const url = msg.scrape;
    clearInterval(scraper);
    if (url === '') return;
    scraper = setInterval(() => {
      fetch(url).then((r) => r.text()).then((t) => (scraped += t.length), () => undefined);
    }, 1000);
  }
  if (msg.stop === true) {
    clearInterval(writer);
    clearInterval(scraper);
    for (const w of writers) w.release('free');
    reg.close();
    sink.close();
    process.send!({ received, scraped }, () => process.exit(0));
  }
});
