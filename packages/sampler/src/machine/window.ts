// The start of the next CPU window, carried from one tick to the next: the
// last reading with a CPU counter, and the last CPU percent from a
// trustworthy window (published over untrusted ones).

import type { PairedReading } from '../math/pairing-bracket.js';
import type { SampleOutcome } from './types.js';

export interface SampleWindow {
  previous: PairedReading | undefined;
  lastTrustedCpu: number | undefined;
}

/** The window after `outcome`; `window` itself when the outcome carries no CPU reading. */
export function nextWindow(window: SampleWindow, outcome: SampleOutcome): SampleWindow {
  if (outcome.type !== 'sample.written' && outcome.type !== 'sample.failed') return window;
  if (outcome.reading === undefined || outcome.reading.cpuTimeNs === undefined) return window;
  return {
    previous: outcome.reading,
    lastTrustedCpu: outcome.trusted ? outcome.cpuPercent : window.lastTrustedCpu,
  };
}
