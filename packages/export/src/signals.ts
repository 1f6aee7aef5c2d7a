// SIGINT/SIGTERM: run `onStop` once, then exit 0. A second signal while it
// runs exits at once, the way shells expect (128 + signal number).
export function exitOnSignals(onStop: () => Promise<unknown>, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      exit(signal === 'SIGINT' ? 130 : 143);
      return;
    }
    stopping = true;
    onStop().then(
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
