// Where the control socket lives, and making that place safe: a directory
// of our own (0700) so no other user can even see the socket, and the
// socket itself 0600.
import { connect } from 'node:net';
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { HostError } from './errors.js';

/** `$SANDMETER_SOCKET`, else `$XDG_RUNTIME_DIR/sandmeter/host.sock`, else `/tmp/sandmeter-<uid>/host.sock`. */
export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.SANDMETER_SOCKET;
  if (explicit !== undefined && explicit !== '') return explicit;
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime !== undefined && runtime !== '') return join(runtime, 'sandmeter', 'host.sock');
  return join('/tmp', `sandmeter-${userInfo().uid}`, 'host.sock');
}

/** Creates the socket's directory (0700) when missing; refuses one owned by someone else. */
export function prepareSocketDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) {
    throw new HostError('SANDMETER_USAGE', 400, `${dir} is not a directory; choose another socket path (--socket)`);
  }
  if (st.uid !== process.getuid?.()) {
    throw new HostError('SANDMETER_USAGE', 400, `${dir} belongs to uid ${st.uid}, not to you; choose another socket path (--socket)`);
  }
}

/** Resolves true when something accepts connections on the socket. */
export function socketAlive(path: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(path);
    const timer = setTimeout(() => {
      sock.destroy();
      resolve(false);
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.end();
      resolve(true);
    });
    sock.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/**
 * Makes the path free for a new socket: a live host there is an error
 * (SANDMETER_HOST_RUNNING); a socket file left by a dead host is removed.
 */
export async function claimSocketPath(path: string): Promise<void> {
  let exists = true;
  try {
    lstatSync(path);
  } catch {
    exists = false;
  }
  if (!exists) return;
  if (await socketAlive(path)) {
    throw new HostError('SANDMETER_HOST_RUNNING', 409, `a host already listens on ${path}; stop it first, or pass another --socket`);
  }
  const st = lstatSync(path);
  if (!st.isSocket()) {
    throw new HostError('SANDMETER_USAGE', 400, `${path} exists and is not a socket; remove it or pass another --socket`);
  }
  unlinkSync(path);
}

export function restrictSocket(path: string): void {
  chmodSync(path, 0o600);
}
