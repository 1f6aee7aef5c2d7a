// One plain text line per sandbox, logfmt style, from the shared definitions:
//   sandmeter name="web" id=7 state=running cpu.utilization=0.25 memory.usage=104857600 ...
import type { SandboxState } from '@sandmeter/reader';
import type { MetricDefinition } from './definitions.js';
import type { ExportRow } from './rows.js';

export function formatLine(namespace: string, state: SandboxState, row: ExportRow, defs: readonly MetricDefinition[]): string {
  let line = namespace;
  for (const [key, value] of Object.entries(row.attributes)) {
    // sandbox.name -> name, sandbox.run_id -> run_id, process.pid -> pid
    line += ` ${key.slice(key.lastIndexOf('.') + 1)}=${typeof value === 'string' ? JSON.stringify(value) : value}`;
  }
  line += ` state=${state}`;
  for (const def of defs) {
    const value = def.value(row.metrics);
    if (value === undefined || !Number.isFinite(value)) continue;
    line += ` ${def.key}=${Number.isInteger(value) ? value : Number(value.toPrecision(6))}`;
  }
  return line;
}
