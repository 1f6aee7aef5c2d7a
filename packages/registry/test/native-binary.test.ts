// The binary this package loads was built from the C++ sources in the tree.
import { binding } from '@sandmeter/native';
import { sourceHash } from '@sandmeter/native/source-hash';
import { describe, expect, it } from 'vitest';

describe('the loaded native binary', () => {
  it('was built from the current native sources (its sourceHash matches them)', () => {
    expect(binding.sourceHash, 'the native binary is stale: run `pnpm --filter @sandmeter/native prebuilds` (and rebuild)').toBe(sourceHash());
  });
});
