// SIGINT / SIGTERM handling: the first signal stops gracefully, a second exits at once.
import { describe, expect, it } from 'vitest';
import { stopOnSignals } from '../src/signals.js';

describe('stopOnSignals', () => {
  it('stops once on the first signal and exits 0 when the stop is done', async () => {
    const exits: number[] = [];
    let stops = 0;
    const remove = stopOnSignals(async () => void stops++, { exit: (c) => exits.push(c) });
    try {
      process.emit('SIGTERM', 'SIGTERM');
      await new Promise((r) => setImmediate(r));
      expect(stops).toBe(1);
      expect(exits).toEqual([0]);
    } finally {
      remove();
    }
  });

  it('exits at once with 128 + signal on a second signal while the stop still runs', () => {
    const exits: number[] = [];
    const remove = stopOnSignals(() => new Promise(() => undefined), { exit: (c) => exits.push(c) });
    try {
      process.emit('SIGINT', 'SIGINT');
      expect(exits).toEqual([]);
      process.emit('SIGINT', 'SIGINT');
      expect(exits).toEqual([130]);
    } finally {
      remove();
    }
  });
});
