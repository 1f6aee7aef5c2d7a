import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('its example runs as written and prints what it says', () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    // Inside the package, so `@sandmeter/reader` resolves to its built dist.
    const file = fileURLToPath(new URL(`../readme-example-${process.pid}.mjs`, import.meta.url));
    writeFileSync(file, code!);
    try {
      const run = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines[0]).toBe('running');
      expect(lines[1]).toBe('67108864');
      expect(lines.some((l) => /^running \d+/.test(l))).toBe(true);
      expect(lines.at(-2)).toMatch(/^exited /);
      expect(lines.at(-1)).toContain("'web: exited'");
    } finally {
      rmSync(file, { force: true });
    }
  });
});
