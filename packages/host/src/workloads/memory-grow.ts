// Demo workload: grows its resident memory by a step every 200 ms up to a
// cap, touching every page so the growth is real RSS.
const stepBytes = Number(process.env.SANDMETER_WORKLOAD_STEP_BYTES ?? 4 * 1024 * 1024);
const capBytes = Number(process.env.SANDMETER_WORKLOAD_CAP_BYTES ?? 256 * 1024 * 1024);
const maxMs = Number(process.env.SANDMETER_WORKLOAD_MAX_MS ?? 600_000);
const held: Buffer[] = [];
let total = 0;
const timer = setInterval(() => {
  if (total + stepBytes > capBytes) return;
  const b = Buffer.allocUnsafe(stepBytes);
  b.fill(total & 0xff);
  held.push(b);
  total += stepBytes;
}, 200);
setTimeout(() => process.exit(0), maxMs).unref();
process.on('SIGTERM', () => {
  clearInterval(timer);
  process.exit(0);
});
