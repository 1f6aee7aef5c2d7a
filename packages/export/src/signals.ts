// SIGINT / SIGTERM: the first one stops gracefully and then exits; a second
// one, while that runs, exits at once (128 + signal number, as shells do).
// The exporter and the host (`sandmeter host`, `sandmeter demo`) share it.
const CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalOptions {
  onFirst?: (signal: NodeJS.Signals) => void;
  onSecond?: (signal: NodeJS.Signals) => void;
  exit?: (code: number) => void;
}

/** Installs the handlers; returns a function that removes them. */
export function exitOnSignals(stop: () => Promise<unknown>, options: SignalOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      options.onSecond?.(signal);
      exit(CODES[signal] ?? 1);
      return;
    }
    stopping = true;
    options.onFirst?.(signal);
    stop().then(
      () => exit(0),
      () => exit(1),
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
