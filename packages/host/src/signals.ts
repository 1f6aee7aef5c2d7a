// The host's signal handling is the exporter's: one rule for every
// long-running `sandmeter` command (see @sandmeter/export signals.ts).
export { exitOnSignals as stopOnSignals } from '@sandmeter/export';
export type { SignalOptions } from '@sandmeter/export';
