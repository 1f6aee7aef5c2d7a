// Ending child processes the host spawned: SIGTERM, then SIGKILL after a
// grace period, resolving once every one has exited.
import type { ChildProcess } from 'node:child_process';

export function terminate(children: Iterable<ChildProcess>, graceMs: number): Promise<void> {
  const waits: Promise<void>[] = [];
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    waits.push(
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
    );
  }
  return Promise.all(waits).then(() => undefined);
}
