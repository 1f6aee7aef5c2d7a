// Starts the writer process (bench/writer.ts) over a fresh registry.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Registry } from '@sandmeter/registry';

export interface Fleet {
  registry: Registry;
  sinkUrl: string;
  scrape(url: string): void;
  stopScraping(): void;
  close(): Promise<void>;
}

export async function startFleet(sandboxes: number): Promise<Fleet> {
  const name = `/sm-bench-export-${randomBytes(4).toString('hex')}`;
  const registry = Registry.create(name, { capacity: 1024 });
  const child: ChildProcess = fork(fileURLToPath(new URL('./writer.js', import.meta.url)), [name, String(sandboxes)]);
  const { sinkPort } = await new Promise<{ sinkPort: number }>((resolve) => child.once('message', (m) => resolve(m as { sinkPort: number })));
  return {
    registry,
    sinkUrl: `http://127.0.0.1:${sinkPort}/v1/metrics`,
    scrape: (url) => child.send({ scrape: url }),
    stopScraping: () => child.send({ scrape: '' }),
    close: async () => {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ stop: true });
      });
      registry.close();
      Registry.unlink(name, { missingOk: true });
    },
  };
}
