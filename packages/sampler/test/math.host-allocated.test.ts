import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upperHostAllocatedBytes } from '../src/math/host-allocated.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sm-sampler-alloc-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('upperHostAllocatedBytes', () => {
  // The seed's case.
  test('uses allocated blocks * 512', () => {
    const file = join(dir, 'upper.img');
    writeFileSync(file, Buffer.alloc(8192, 1));
    expect(upperHostAllocatedBytes(file)).toBe(Number(statSync(file, { bigint: true }).blocks * 512n));
    expect(upperHostAllocatedBytes(file)).toBeGreaterThanOrEqual(8192);
  });

  test('counts only allocated blocks of a sparse image', () => {
    const file = join(dir, 'sparse.img');
    writeFileSync(file, '');
    truncateSync(file, 1024 * 1024 * 1024);
    const allocated = upperHostAllocatedBytes(file);
    expect(allocated).toBe(Number(statSync(file).blocks) * 512);
    expect(allocated).toBeLessThan(1024 * 1024 * 1024);
  });

  test('is undefined without a path, or for a file that is not there', () => {
    expect(upperHostAllocatedBytes(undefined)).toBeUndefined();
    expect(upperHostAllocatedBytes('')).toBeUndefined();
    expect(upperHostAllocatedBytes(join(dir, 'missing.img'))).toBeUndefined();
    expect(upperHostAllocatedBytes(join(dir, 'missing-dir', 'x', 'upper.img'))).toBeUndefined();
  });
});
