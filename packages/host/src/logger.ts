// pino loggers: JSON lines by default (for machines), pino-pretty on request
// (for people). Pretty printing runs in-process as a stream, not a worker
// transport, so a fast exit never loses the last lines.
import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  level?: LevelWithSilent;
  pretty?: boolean;
  /** Where lines go. Default: stdout (fd 1). */
  destination?: number | NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const fd = typeof options.destination === 'number' ? options.destination : 1;
  const base = { name: 'sandmeter' };
  if (options.pretty === true) {
    const destination = typeof options.destination === 'object' ? options.destination : undefined;
    const stream = pretty({
      colorize: destination === undefined ? process.stdout.isTTY === true || fd === 2 : false,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,name',
      destination: destination ?? fd,
      sync: true,
    });
    return pino({ level, base }, stream);
  }
  if (typeof options.destination === 'object') return pino({ level, base }, options.destination);
  return pino({ level, base }, pino.destination({ fd, sync: true }));
}

/** A logger that drops everything (library default). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
