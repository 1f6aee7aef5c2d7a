// The logger used when the caller gives none: pino on stderr, so stdout stays the caller's.

import { pino, type Logger } from 'pino';

let shared: Logger | undefined;

export function defaultLogger(): Logger {
  shared ??= pino({ name: 'sandmeter-sampler' }, pino.destination(2));
  return shared;
}
