// Reading a request body: capped at a byte limit (413 past it, checked on
// Content-Length first and on the bytes as they arrive), parsed as JSON.
import type { IncomingMessage } from 'node:http';
import { HostError } from '../errors.js';

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | undefined, value?: Buffer): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (err !== undefined) reject(err);
      else resolve(value as Buffer);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the rest is drained so the 413 can still be sent.
        req.resume();
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish(undefined, Buffer.concat(chunks, size));
    const onError = (err: Error): void => finish(err);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) throw new HostError('SANDMETER_BAD_JSON', 400, 'the request body is empty; send a JSON object');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new HostError('SANDMETER_BAD_JSON', 400, 'the request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HostError('SANDMETER_BAD_JSON', 400, `the request body is not valid JSON: ${(err as Error).message}`);
  }
}

function tooLarge(limit: number): HostError {
  return new HostError('SANDMETER_BODY_TOO_LARGE', 413, `the request body is larger than ${limit} bytes`);
}
