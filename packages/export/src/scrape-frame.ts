// One snapshot per scrape. prom-client calls every metric's collect() in
// the same synchronous run, so the rows are kept until the next microtask:
// all metrics of one scrape see one coherent fleet, and the next scrape
// reads shared memory afresh. A caller that collects metrics one at a
// time (across awaits) just takes more snapshots; values stay right.
import { exportRows, type AttributeOptions, type ExportRow } from './rows.js';
import type { SnapshotSource } from './source.js';

export class ScrapeFrame {
  #source: SnapshotSource;
  #options: AttributeOptions;
  #rows: ExportRow[] | undefined;

  constructor(source: SnapshotSource, options: AttributeOptions) {
    this.#source = source;
    this.#options = options;
  }

  rows(): ExportRow[] {
    if (this.#rows === undefined) {
      this.#rows = exportRows(this.#source.snapshot(), this.#options);
      queueMicrotask(() => {
        this.#rows = undefined;
      });
    }
    return this.#rows;
  }
}
