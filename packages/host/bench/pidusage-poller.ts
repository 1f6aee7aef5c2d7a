// The alternative a user would reach for: every second, one pidusage call
// per process (no shared memory, no registry). Pids come in a file named by argv[2].
import { readFileSync } from 'node:fs';
import pidusage from 'pidusage';

const pids = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as number[];
let stopped = false;
process.on('SIGTERM', () => {
  stopped = true;
});

async function loop(): Promise<void> {
  while (!stopped) {
    const started = Date.now();
    await Promise.all(pids.map((pid) => pidusage([pid]).catch(() => undefined)));
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
  }
  pidusage.clear();
  process.exit(0);
}
void loop();
