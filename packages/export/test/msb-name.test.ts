import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { microsandboxRegistryName, Registry } from '@sandmeter/registry';
import { resolveRegistryName, runExport } from '../src/index.js';
import { waitFor } from './helpers.js';

// FNV-1a 64, written here from its definition so the test does not trust the code under test.
function fnv1a64Hex(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) % 2n ** 64n;
  }
  return hash.toString(16).padStart(16, '0');
}

const created: string[] = [];
afterEach(() => {
  for (const name of created.splice(0)) Registry.unlink(name, { missingOk: true });
});

describe('microsandbox registry names', () => {
  it('match FNV-1a 64 over the home path bytes on known paths', () => {
    // Published FNV-1a 64 test vectors: the empty string and "a".
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    for (const home of ['/root/.microsandbox', '/home/alice/.microsandbox', '/srv/msb', '/tmp/ünïcode home']) {
      expect(microsandboxRegistryName(home)).toBe(`/msb-met-${fnv1a64Hex(home)}-v3`);
      expect(resolveRegistryName({ msbHome: home })).toBe(`/msb-met-${fnv1a64Hex(home)}-v3`);
    }
  });

  it('--msb-home makes an exporter read that home\'s registry', async () => {
    const home = `/tmp/sm-test-msb-home-${process.pid}-${Date.now()}`;
    const name = `/msb-met-${fnv1a64Hex(home)}-v3`;
    created.push(name);
    const reg = Registry.create(name, { capacity: 4 });
    try {
      const r = reg.reserve({ sandboxId: 12, name: 'msb-box' });
      reg.activate({ ...r, runId: 1 }).write({ memoryBytes: 4242 });
      const output = new PassThrough();
      let text = '';
      output.on('data', (b: Buffer) => (text += b.toString()));
      const handle = await runExport('stdout', { msbHome: home, namespace: 'microsandbox', intervalMs: 20, output, signals: false, logger: pino({ level: 'silent' }) });
      try {
        await waitFor('a line', () => text.includes('\n'));
      } finally {
        await handle.stop();
      }
      expect(text).toMatch(/^microsandbox name="msb-box" id=12 state=running .*memory\.usage=4242/m);
    } finally {
      reg.close();
    }
  });
});
