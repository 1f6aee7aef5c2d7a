// The machine's shape and transitions checked with xstate's pure functions:
// nothing runs, the actions that would run are listed by name.

import { describe, expect, test } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { samplerMachine } from '../src/sampler.machine.js';
import { FakeVmm } from './helpers/fake-vmm.js';
import { captureLogger } from './helpers/capture-logger.js';

function input() {
  const vmm = new FakeVmm();
  let writes = 0;
  const writer = { write: () => void writes++, release: () => {} };
  return { vmm, writer, writes: () => writes, input: { writer, source: vmm.source, logger: captureLogger().logger } };
}

const names = (actions: ReadonlyArray<{ type: string }>) => actions.map((a) => a.type);

describe('samplerMachine (pure)', () => {
  test('has exactly the states initial, sampling, reclaimed and stopped', () => {
    expect(Object.keys(samplerMachine.root.states).sort()).toEqual(['initial', 'reclaimed', 'sampling', 'stopped']);
    expect(samplerMachine.root.states.reclaimed?.type).toBe('final');
    expect(samplerMachine.root.states.stopped?.type).toBe('final');
  });

  test('starts in initial asking the port for a sample, without doing any I/O', () => {
    const { vmm, writes, input: i } = input();
    const [snapshot] = initialTransition(samplerMachine, i);
    expect(snapshot.value).toBe('initial');
    expect(snapshot.context.intervalMs).toBe(1000);
    expect(vmm.reads).toBe(0);
    expect(writes()).toBe(0);
  });

  test('a written first sample moves to sampling and counts it', () => {
    const [start] = initialTransition(samplerMachine, input().input);
    const reading = { cpuTimeNs: 5, beforeMs: 0, afterMs: 0 };
    const [next] = transition(samplerMachine, start, { type: 'sample.written', reading, cpuPercent: undefined, trusted: false });
    expect(next.value).toBe('sampling');
    expect(next.context).toMatchObject({ samplesWritten: 1, previous: reading });
  });

  test('STOP goes to stopped and would release the slot and close the source', () => {
    const [start] = initialTransition(samplerMachine, input().input);
    const [next, actions] = transition(samplerMachine, start, { type: 'STOP' });
    expect(next.value).toBe('stopped');
    expect(next.status).toBe('done');
    expect(names(actions)).toEqual(expect.arrayContaining(['releaseSlot', 'closeSource']));
    expect(next.output).toEqual({ reason: 'stopped', samplesWritten: 0 });
  });

  test('a generation mismatch goes to reclaimed and never releases', () => {
    const [start] = initialTransition(samplerMachine, input().input);
    const [next, actions] = transition(samplerMachine, start, { type: 'sample.reclaimed', error: new Error('x') });
    expect(next.value).toBe('reclaimed');
    expect(names(actions)).not.toContain('releaseSlot');
    expect(next.output).toEqual({ reason: 'reclaimed', samplesWritten: 0 });
  });

  test('a gone sandbox goes to stopped with reason gone', () => {
    const [start] = initialTransition(samplerMachine, input().input);
    const [next] = transition(samplerMachine, start, { type: 'sample.gone', reason: 'process exited' });
    expect(next.output).toEqual({ reason: 'gone', samplesWritten: 0 });
    expect(next.context.goneReason).toBe('process exited');
  });
});
