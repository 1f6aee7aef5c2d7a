// `sandmeter export otel|prometheus|stdout ...`: handed to @sandmeter/export,
// which owns its flags, its signals and its exit.
import { EXPORT_USAGE, parseExportArgs, runExport } from '@sandmeter/export';

export { EXPORT_USAGE };

export async function exportCommand(argv: readonly string[]): Promise<void> {
  const { kind, options } = parseExportArgs(argv);
  await runExport(kind, options);
}
