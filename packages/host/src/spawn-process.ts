// Starting a command as a sandbox process: resolves once the OS has
// started it (so the pid is real), rejects with SANDMETER_SPAWN_FAILED when
// it cannot start (no such file, no permission).
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { HostError } from './errors.js';

export interface SpawnOptions {
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Default 'inherit'. */
  stdio?: StdioOptions;
}

export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
}

export interface SpawnedProcess {
  child: ChildProcess;
  pid: number;
  /** Settles when the process exited (its 'exit' event). */
  exited: Promise<ExitInfo>;
}

export function spawnProcess(options: SpawnOptions): Promise<SpawnedProcess> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(options.command, [...(options.args ?? [])], {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: options.stdio ?? 'inherit',
      });
    } catch (err) {
      reject(new HostError('SANDMETER_SPAWN_FAILED', 400, `cannot start ${options.command}: ${(err as Error).message}`));
      return;
    }
    const exited = new Promise<ExitInfo>((done) => {
      child.once('exit', (code, signal) => done({ exitCode: code, signal }));
    });
    child.once('spawn', () => {
      child.off('error', onError);
      // Later errors (a failed kill) must not crash the host.
      child.on('error', () => undefined);
      resolve({ child, pid: child.pid as number, exited });
    });
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new HostError('SANDMETER_SPAWN_FAILED', 400, `cannot start ${options.command}: ${err.code ?? err.message}; check the command and its permissions`));
    };
    child.once('error', onError);
  });
}
