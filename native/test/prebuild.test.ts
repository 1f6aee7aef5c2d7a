// The committed prebuild is what a fresh `pnpm install` loads on linux-x64:
// load it alone (PREBUILDS_ONLY=1, so a local build/Release cannot stand in
// for it) in a child process and check it matches the sources in the tree.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeRoot } from '../lib/index.js';
import { sourceHash } from '../scripts/source-hash.mjs';

const platformDir = join(nativeRoot, 'prebuilds', `${process.platform}-${process.arch}`);

describe('the committed prebuild', () => {
  it.skipIf(!existsSync(platformDir))('loads without a local build and was built from these sources', () => {
    const script = `
      const load = require('node-gyp-build');
      const b = load(${JSON.stringify(nativeRoot)});
      const name = '/sm-prebuild-' + process.pid;
      const buf = b.create(name, 1);
      const [slot, gen] = b.reserve(buf, 1, Buffer.from('p'), 0);
      b.activate(buf, slot, gen, 1, process.pid, Date.now());
      b.close(buf);
      b.unlink(name);
      process.stdout.write(b.sourceHash);
    `;
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: nativeRoot,
      env: { ...process.env, PREBUILDS_ONLY: '1' },
      encoding: 'utf8',
    });
    expect(out, 'prebuilds/ is stale: run `pnpm --filter @sandmeter/native prebuilds` and commit it').toBe(sourceHash());
  });
});
