// The README's examples, run as a user would run them (against the built package).

import { describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Registry } from '@sandmeter/registry';

const execFileAsync = promisify(execFile);

/** Run an example; whatever happens, remove the registry it names after its pid. */
async function runExample(name: string, registryPrefix: string): Promise<string> {
  const running = execFileAsync(process.execPath, [fileURLToPath(new URL(`../examples/${name}`, import.meta.url))]);
  const pid = running.child.pid;
  try {
    return (await running).stdout;
  } finally {
    Registry.unlink(`${registryPrefix}-${pid}`, { missingOk: true });
  }
}

describe('README examples', () => {
  test('host.mjs samples a process until it is gone', async () => {
    const stdout = await runExample('host.mjs', '/sm-example-host');
    expect(stdout).toMatch(/sampler ended: \{ reason: 'gone', samplesWritten: \d+ \} \| last sample kept: stale/);
    expect(stdout).toMatch(/active cpu=\d+%/);
  });

  test('self-publish.mjs publishes its own slot and stops', async () => {
    const stdout = await runExample('self-publish.mjs', '/sm-example-self');
    expect(stdout).toMatch(/slot \d+: my-runtime pid=\d+ cpu=\d+%/);
    expect(stdout).toMatch(/stopped: \{ reason: 'stopped', samplesWritten: \d+ \}/);
    expect(stdout).toContain('after stop the last sample stays readable: stale');
  });

  test("vmm-callback.mjs publishes a VMM's own counters until it shuts down", async () => {
    const stdout = await runExample('vmm-callback.mjs', '/sm-example-vmm');
    expect(stdout).toMatch(/cpu=\d+% used=314572800 written=\d+ upperFree=450527232/);
    expect(stdout).toMatch(/sampler ended: \{ reason: 'gone', samplesWritten: \d+ \}/);
  });
});
