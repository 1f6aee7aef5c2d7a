// Demo workload: keeps one core busy. Ends on SIGTERM, or by itself after
// SANDMETER_WORKLOAD_MAX_MS (default 10 min) so a lost child never lingers.
const maxMs = Number(process.env.SANDMETER_WORKLOAD_MAX_MS ?? 600_000);
const end = Date.now() + maxMs;
let x = 0;
function burn(): void {
  // Slices of ~50 ms keep the event loop free for signals.
  const until = Date.now() + 50;
  while (Date.now() < until) x = (x * 1103515245 + 12345) % 2147483648;
  if (Date.now() < end) setImmediate(burn);
}
process.on('SIGTERM', () => process.exit(0));
burn();
