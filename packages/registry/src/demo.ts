// A short demo of the registry alone: separate writer processes publish
// into one registry while this process prints the fleet as a table.
// Run: pnpm --filter @sandmeter/registry demo
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Registry } from './registry.js';
import type { SandboxMetrics } from './types.js';

const WRITERS = ['alpha', 'bravo', 'charlie'];

function table(rows: SandboxMetrics[]): string {
  const head = ['SLOT', 'NAME', 'STATE', 'PID', 'CPU %', 'MEMORY', 'DISK W', 'UPTIME'];
  const mib = (n: number | undefined) => (n === undefined ? '-' : `${(n / 2 ** 20).toFixed(1)} MiB`);
  const body = rows.map((m) => [
    String(m.slot), m.name, m.state, String(m.pid),
    m.cpuPercent === undefined ? '-' : m.cpuPercent.toFixed(1),
    mib(m.memoryBytes), mib(m.diskWriteBytes), `${(m.uptimeMs / 1000).toFixed(1)} s`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] as string).length)));
  return [head, ...body].map((r) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const name = `/sandmeter-demo-${process.pid}`;
  const registry = Registry.create(name, { capacity: 16 });
  const children = WRITERS.map((w, i) =>
    fork(fileURLToPath(new URL('./demo-writer.js', import.meta.url)), [name, w, String(i + 1)], { stdio: 'inherit' }),
  );
  const stopAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('SIGINT', () => {
    stopAll();
    registry.close();
    Registry.unlink(name, { missingOk: true });
    process.exit(130);
  });
  try {
    console.log(`registry ${name}: ${registry.capacity} slots; ${WRITERS.length} writer processes\n`);
    for (let tick = 1; tick <= 4; tick++) {
      await new Promise((r) => setTimeout(r, 1000));
      console.log(`-- t+${tick}s\n${table(registry.snapshot())}\n`);
    }
    // One writer crashes: the next read reports its slot stale, never running.
    children[0]?.kill('SIGKILL');
    await Promise.all(children.slice(1).map((c) => new Promise((r) => { c.once('exit', r); c.send('stop'); })));
    await new Promise((r) => setTimeout(r, 300));
    console.log(`-- after one writer was SIGKILLed and two released their slots\n${table(registry.snapshot())}\n`);
    console.log('usage:', registry.usage());
  } finally {
    stopAll();
    registry.close();
    Registry.unlink(name, { missingOk: true });
  }
}

await main();
