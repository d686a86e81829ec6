/**
 * Requests Node refuses before Express sees them (headers too large, a malformed request
 * line) answered in the API's one error shape instead of Node's bare status line.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from './errors';

const REFUSALS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: 'HeadersTooLarge',
    message: 'Request headers are larger than the server accepts',
  },
};
const MALFORMED = {
  status: 400,
  reason: 'Bad Request',
  code: 'MalformedRequest',
  message: 'Malformed HTTP request',
};

export function clientErrorResponse(errorCode: string | undefined): string {
  const refusal = (errorCode && REFUSALS[errorCode]) || MALFORMED;
  const body: ErrorBody = { error: { code: refusal.code, message: refusal.message } };
  const json = JSON.stringify(body);
  return (
    `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\n` +
    'Content-Type: application/json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(json)}\r\n` +
    'Connection: close\r\n\r\n' +
    json
  );
}

export function answerClientErrorsAsJson(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or timed-out connection has nobody to answer.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(err.code));
  });
}
