// The actor that performs the sampler's I/O: it takes a sample when asked
// and sends back what happened. Synchronous, so a SimulatedClock drives
// the whole machine without real waits.

import { fromCallback } from 'xstate';
import { takeSample, type TickDeps, type TickRequest } from './take-sample.js';

export type SamplePortCommand = { type: 'port.sample' } & TickRequest;

export const samplePort = fromCallback<SamplePortCommand, TickDeps>(({ input, receive, sendBack }) => {
  receive((command) => {
    if (command.type === 'port.sample') sendBack(takeSample(input, command));
  });
  // Nothing to undo: the machine releases the slot and closes the source itself.
  return () => {};
});
