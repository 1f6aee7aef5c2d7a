// Writing JSON responses and errors in the API's one shape.
import type { ServerResponse } from 'node:http';
import { toErrorResponse } from '../errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Sends any error as `{ error: { code, message } }`; returns the status for the access log. */
export function sendError(res: ServerResponse, err: unknown, headers: Record<string, string> = {}): number {
  const { status, body } = toErrorResponse(err);
  if (res.headersSent) {
    res.destroy();
    return status;
  }
  // A 413 leaves unread bytes behind: close instead of keeping the socket.
  if (status === 413) headers = { connection: 'close', ...headers };
  sendJson(res, status, body, headers);
  return status;
}
