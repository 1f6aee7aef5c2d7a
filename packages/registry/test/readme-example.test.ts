// The README's writer and reader examples run as written: a writer process
// publishes, a reader process sees it active, then stale after the writer
// released its slot.
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { uniqueName } from './helpers.js';

const run = promisify(execFile);
const dir = fileURLToPath(new URL('..', import.meta.url));
const reader = (name: string) => run(process.execPath, ['examples/reader.mjs', name], { cwd: dir }).then((r) => r.stdout);

describe('the README example', () => {
  it('a writer process publishes and a reader process sees it active, then stale with its last sample', async () => {
    const name = uniqueName('readme');
    const writer = spawn(process.execPath, ['examples/writer.mjs', name], { cwd: dir, env: { ...process.env, RUN_MS: '1500' }, stdio: 'ignore' });
    try {
      let active = '';
      for (let i = 0; i < 300 && !/web-1 \(sandbox 42, pid \d+\) active: cpu 25%/.test(active); i++) {
        active = await reader(name).catch(() => '');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(active).toMatch(/active: cpu 25%, memory 134217728 B/);
      await new Promise((resolve) => writer.once('exit', resolve));
      expect(await reader(name)).toMatch(/web-1 \(sandbox 42, pid \d+\) stale: cpu 25%/);
    } finally {
      writer.kill('SIGKILL');
    }
  });
});
