// Cross-process coherence: writer processes hammer their slots while reader
// processes snapshot continuously; one torn (incoherent) sample fails.
// SANDMETER_SOAK_SECONDS sets the duration (default 3 s).
import { describe, expect, it } from 'vitest';
import { forkWithInbox, freshRegistry, type Inbox } from './helpers.js';

const SECONDS = Number(process.env.SANDMETER_SOAK_SECONDS ?? 3);
if (!(SECONDS > 0)) throw new Error(`SANDMETER_SOAK_SECONDS must be a positive number, got ${process.env.SANDMETER_SOAK_SECONDS}`);

interface SlotStats {
  checked: number;
  distinct: number;
  missed: number;
  lastK: number;
}
interface Message {
  type: 'ready' | 'result';
  slot?: number;
  sandboxId?: number;
  writes?: number;
  error?: { code: string; message: string };
  mode?: string;
  reads?: number;
  incoherent?: number;
  backwards?: number;
  examples?: string[];
  perSlot?: Record<string, SlotStats>;
}

const WRITERS = [
  { sandboxId: 1, mode: 'js' },
  { sandboxId: 2, mode: 'js' },
  { sandboxId: 3, mode: 'native' }, // binding.writeSample, read by the JS readers
];
const READERS = ['js', 'js', 'native']; // 'native': binding.readSlot on slots written by JS (and C++)

describe('cross-process coherence', () => {
  it(
    `${READERS.length} reader processes never see a torn sample from ${WRITERS.length} writer processes over ${SECONDS} s`,
    async () => {
      const reg = freshRegistry({ capacity: 8 }, 'coh');
      const base = Date.now();

      const writers = WRITERS.map((w) => forkWithInbox<Message>('coherence-writer.mjs', [reg.name, w.mode, String(w.sandboxId), String(base)]));
      const owned = await Promise.all(writers.map((w) => w.next()));
      for (const m of owned) expect(m.type).toBe('ready');
      const slots = JSON.stringify(owned.map((m) => ({ slot: m.slot, sandboxId: m.sandboxId })));

      const readers = READERS.map((mode) => forkWithInbox<Message>('coherence-reader.mjs', [reg.name, mode, slots, String(base)]));
      for (const r of readers) expect((await r.next()).type).toBe('ready');

      const all: Inbox<Message>[] = [...writers, ...readers];
      for (const p of all) p.send({ type: 'go' });
      await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
      // Writers stop first, so the readers' last reads see the final samples.
      for (const w of writers) w.send({ type: 'stop' });
      const written = await Promise.all(writers.map((w) => w.next()));
      for (const r of readers) r.send({ type: 'stop' });
      const results = await Promise.all(readers.map((r) => r.next()));

      if (process.env.SANDMETER_COHERENCE_DEBUG) console.log(JSON.stringify({ written, results }, null, 1));
      for (const w of written) {
        expect(w.error, `writer of slot ${w.slot} failed`).toBeUndefined();
        expect(w.writes).toBeGreaterThan(1);
      }
      for (const r of results) {
        const label = `${r.mode} reader: ${JSON.stringify({ examples: r.examples, perSlot: r.perSlot })}`;
        expect(r.incoherent, label).toBe(0);
        expect(r.backwards, label).toBe(0);
        for (const m of owned) {
          const st = r.perSlot?.[String(m.slot)];
          // Not vacuous: every reader checked every slot, and saw it move.
          expect(st?.checked, label).toBeGreaterThan(0);
          expect(st?.distinct, label).toBeGreaterThan(1);
        }
      }
      // The last sample of each slot is the writer's last k, read coherently here too.
      const last = reg.snapshotExact();
      for (const w of written) {
        expect(last.find((m) => m.slot === w.slot)?.vcpuTimeNs).toBe(BigInt(w.writes!));
      }
    },
    SECONDS * 1000 + 60_000,
  );
});
