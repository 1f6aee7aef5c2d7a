// The same tick through the xstate machine: N sampler actors on one
// batch clock, every actor sampling once per fire().

import { createActor } from 'xstate';
import { pino } from 'pino';
import { Registry } from '@sandmeter/registry';
import { procfsSource, samplerMachine } from '@sandmeter/sampler';
import { BatchClock } from './batch-clock.js';
import { measureSync, repeatsFor, type Figure } from './measure.js';

export function benchMachineTick(pids: number[], registryName: string, rounds: number): Figure {
  const n = pids.length;
  const registry = Registry.openOrCreate(registryName, { capacity: Math.max(n, 1) });
  const clock = new BatchClock();
  const logger = pino({ level: 'warn' });
  const actors = pids.map((pid, i) => {
    const reservation = registry.reserve({ sandboxId: i + 1, name: `bench-${i}` });
    const writer = registry.activate({ ...reservation, runId: i + 1, pid });
    return createActor(samplerMachine, {
      clock,
      input: { writer, source: procfsSource({ pid }), intervalMs: 1000, maxCpus: 2, logger },
    }).start();
  });
  try {
    const figure = measureSync(rounds, n, () => clock.fire());
    const expected = 1 + (rounds + 1) * repeatsFor(n);
    for (const actor of actors) {
      const { samplesWritten } = actor.getSnapshot().context;
      if (samplesWritten !== expected) throw new Error(`an actor wrote ${samplesWritten} samples, expected ${expected}`);
    }
    return figure;
  } finally {
    for (const actor of actors) actor.send({ type: 'STOP' });
    registry.close();
    Registry.unlink(registryName, { missingOk: true });
  }
}
