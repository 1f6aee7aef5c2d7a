// The collector's own health as numbers; also shipped as metrics.
export interface CollectorStats {
  /** Collections exported and acknowledged by the backend. */
  exportsSucceeded: number;
  /** Export attempts the backend refused or did not answer. */
  exportsFailed: number;
  /** Collections dropped because the buffer was full (oldest first). */
  collectionsDropped: number;
  /** Unix ms of the last successful export; undefined until there is one. */
  lastSuccessMs: number | undefined;
  /** Collections waiting to be exported. */
  buffered: number;
  /** Failed attempts since the last success (drives the backoff). */
  consecutiveFailures: number;
}
