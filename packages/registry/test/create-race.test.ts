// A create race between processes ends with one registry that all use.
import { describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { forkWithInbox, track, uniqueName, type Inbox } from './helpers.js';

interface Reply {
  type: string;
  created?: boolean;
  slot?: number;
  capacity?: number;
  ids?: number[];
  code?: string;
  field?: string;
  message?: string;
}

const RACERS = 4;
const ROUNDS = Number(process.env.SANDMETER_RACE_ROUNDS ?? 25);

/** Sends one message to every racer at once (the barrier) and collects one reply each. */
async function everyone(racers: Inbox<Reply>[], message: object, expectType: string): Promise<Reply[]> {
  for (const r of racers) r.send(message);
  const replies = await Promise.all(racers.map((r) => r.next()));
  for (const reply of replies) {
    expect(reply, `a racer failed: ${JSON.stringify(reply)}`).toMatchObject({ type: expectType });
  }
  return replies;
}

describe('create race', () => {
  it(`${RACERS} processes opening-or-creating one new name at once end with one registry, created once, used by all`, async () => {
    const racers = Array.from({ length: RACERS }, (_, i) => forkWithInbox<Reply>('race-opener.mjs', [String(i + 1)]));
    for (const r of racers) expect(await r.next()).toEqual({ type: 'ready' });

    for (let round = 0; round < ROUNDS; round++) {
      const name = uniqueName('race');
      const done = await everyone(racers, { type: 'go', name, capacity: 16 }, 'done');
      expect(done.filter((d) => d.created === true)).toHaveLength(1);
      expect(done.every((d) => d.capacity === 16)).toBe(true);
      expect(new Set(done.map((d) => d.slot)).size).toBe(RACERS);

      const all = Array.from({ length: RACERS }, (_, i) => i + 1);
      for (const seen of await everyone(racers, { type: 'look', name }, 'seen')) expect(seen.ids).toEqual(all);
      // A process that took no part sees the same fleet.
      const observer = track(Registry.open(name));
      expect(observer.usage()).toEqual({ free: 16 - RACERS, reserved: 0, active: RACERS, stale: 0 });
      expect(observer.snapshot().map((m) => m.memoryBytes).sort()).toEqual(all);
      observer.close();

      await everyone(racers, { type: 'close', name }, 'closed');
      Registry.unlink(name);
    }
  }, 120_000);
});
