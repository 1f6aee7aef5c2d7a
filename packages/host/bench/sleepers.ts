// N idle `sleep` processes to sample, killed when the benchmark ends.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Sleepers {
  pids: number[];
  kill(): Promise<void>;
}

export async function startSleepers(n: number): Promise<Sleepers> {
  const children: ChildProcess[] = [];
  const kill = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGKILL');
          }),
      ),
    );
  };
  process.once('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
  try {
    for (let i = 0; i < n; i++) {
      const c = spawn('sleep', ['3600'], { stdio: 'ignore' });
      children.push(c);
      await new Promise<void>((resolve, reject) => {
        c.once('spawn', resolve);
        c.once('error', reject);
      });
    }
  } catch (err) {
    await kill();
    throw err;
  }
  return { pids: children.map((c) => c.pid as number), kill };
}
