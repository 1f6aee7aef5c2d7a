// N idle processes to sample: one shell that forks N `sleep`s, in its own
// process group so a single kill removes them all, also on Ctrl-C.

import { spawn } from 'node:child_process';
import { processTreeMembers } from '@sandmeter/sampler';

export interface Sleepers {
  pids: number[];
  kill(): void;
}

export async function spawnSleepers(count: number): Promise<Sleepers> {
  const shell = spawn('sh', ['-c', `i=0; while [ $i -lt ${count} ]; do sleep 600 & i=$((i+1)); done; echo ready; wait`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const group = shell.pid as number;
  let killed = false;
  const kill = (): void => {
    if (killed) return;
    killed = true;
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', kill);
  process.once('SIGINT', () => {
    kill();
    process.exit(130);
  });
  await new Promise<void>((resolve, reject) => {
    shell.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    shell.once('exit', () => reject(new Error('the sleeper shell exited early')));
  });
  const pids = processTreeMembers(group).slice(1);
  if (pids.length !== count) {
    kill();
    throw new Error(`expected ${count} sleepers, found ${pids.length}`);
  }
  return { pids, kill };
}
