import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('its example runs as written and prints what it says', () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    // Inside the package, so `@sandmeter/export` resolves to its built dist.
    const file = fileURLToPath(new URL(`../readme-example-${process.pid}.mjs`, import.meta.url));
    writeFileSync(file, code!);
    try {
      const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('sandmeter_cpu_utilization_ratio{sandbox_name="web",sandbox_id="7"} 1.5');
      expect(run.stdout).toContain('sandmeter_network_bytes_received_total{sandbox_name="web",sandbox_id="7"} 4096');
      expect(run.stdout).toMatch(/^sandmeter name="web" id=7 state=running cpu\.utilization=1\.5 memory\.usage=268435456 /m);
      expect(run.stdout).toContain('{ exportsSucceeded: 2, exportsFailed: 0, collectionsDropped: 0 }');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
