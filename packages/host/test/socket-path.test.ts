// Where the socket goes, and taking over the path from a dead host.
import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { claimSocketPath, defaultSocketPath, prepareSocketDir } from '../src/socket-path.js';
import { exited, socketIn, tempDir, track, until } from './helpers.js';

describe('the socket path', () => {
  it('is $SANDMETER_SOCKET, else under $XDG_RUNTIME_DIR, else /tmp/sandmeter-<uid>', () => {
    expect(defaultSocketPath({ SANDMETER_SOCKET: '/x/y.sock', XDG_RUNTIME_DIR: '/run/user/1' })).toBe('/x/y.sock');
    expect(defaultSocketPath({ XDG_RUNTIME_DIR: '/run/user/1' })).toBe('/run/user/1/sandmeter/host.sock');
    expect(defaultSocketPath({})).toBe(`/tmp/sandmeter-${process.getuid?.()}/host.sock`);
  });

  it('gets a private directory', () => {
    const dir = `${tempDir('sock')}/nested`;
    prepareSocketDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('removes a socket left by a killed process, refuses a file that is not a socket', async () => {
    const path = socketIn(tempDir('sock'));
    const holder = track(spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)})`], { stdio: 'ignore' }));
    await until(() => existsSync(path), 'the socket file');
    holder.kill('SIGKILL');
    await exited(holder);
    expect(existsSync(path)).toBe(true);
    await claimSocketPath(path);
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, 'not a socket');
    await expect(claimSocketPath(path)).rejects.toMatchObject({ code: 'SANDMETER_USAGE' });
  });
});
