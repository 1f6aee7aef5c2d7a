// The actor that performs the sampler's I/O. Synchronous, so a SimulatedClock
// drives the whole machine without real waits.
//
// port.sample  take one sample now (the machine's first) and send back what happened.
// port.every   from now on, take a sample every intervalMs on the actor
//              system's clock and send back each outcome. A tick is one
//              event to the machine, not a request and a reply. The port
//              remembers the window start (the last CPU reading) itself,
//              by the same rule the machine records it in its context.

import { fromCallback } from 'xstate';
import { takeSample, type TickDeps, type TickRequest } from './take-sample.js';
import { nextWindow, type SampleWindow } from './window.js';

export type SamplePortCommand =
  | ({ type: 'port.sample' } & TickRequest)
  | { type: 'port.every'; intervalMs: number }
  | { type: 'port.tick' };

const TICK_ID = 'sample-port.tick';

export const samplePort = fromCallback<SamplePortCommand, TickDeps>(({ input, receive, sendBack, self, system }) => {
  let window: SampleWindow = { previous: undefined, lastTrustedCpu: undefined };
  let intervalMs = 0;
  const tick = { type: 'port.tick' } as const;

  const sample = (request: TickRequest): boolean => {
    const outcome = takeSample(input, request);
    window = nextWindow(window, outcome);
    sendBack(outcome);
    // After reclaimed or gone the machine is ending and stops this actor.
    return outcome.type === 'sample.written' || outcome.type === 'sample.failed';
  };

  receive((command) => {
    switch (command.type) {
      case 'port.sample':
        window = { previous: command.previous, lastTrustedCpu: command.lastTrustedCpu };
        sample(command);
        return;
      case 'port.every':
        intervalMs = command.intervalMs;
        system.scheduler.cancel(self, TICK_ID);
        system.scheduler.schedule(self, self, tick, intervalMs, TICK_ID);
        return;
      case 'port.tick':
        if (sample({ intervalMs, previous: window.previous, lastTrustedCpu: window.lastTrustedCpu })) {
          system.scheduler.schedule(self, self, tick, intervalMs, TICK_ID);
        }
        return;
    }
  });
  return () => system.scheduler.cancel(self, TICK_ID);
});
