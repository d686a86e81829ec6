/**
 * The API's one JSON writer: `JSON.stringify`, except that numbers are written in plain
 * decimal notation (`plainNumberText` of src/domain/money). The legacy display amounts stay
 * JSON numbers as the original design has them (`prizePool`, `amountPaid`, `perPassAmount`),
 * but 0.000000007 SOL goes out as `0.000000007`, never as `7e-9`.
 */
import crypto from 'node:crypto';
import type { Express, Response } from 'express';
import { plainNumberText } from '../domain/money';

/** How JSON.stringify writes a number in exponent notation (`7e-9`, `1e+21`). */
const EXPONENT = /[0-9]e[-+]?[0-9]/;

/** `value` as JSON text with no number in exponent notation (undefined for undefined, as JSON.stringify). */
export function toPlainJson(value: unknown): string | undefined {
  // Most answers hold no such number: one plain stringify, and the replacer pass (several
  // times slower) only when the text shows a digit followed by an exponent somewhere.
  const fast = JSON.stringify(value) as string | undefined;
  if (fast === undefined || !EXPONENT.test(fast)) return fast;
  // JSON.stringify writes a number only its own way: such a number travels as a marked string
  // and the mark is swapped for its digits afterwards. The marker is random per call, so no
  // text a client stored can forge one.
  let marker: string | undefined;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || !String(v).includes('e')) return v;
    marker ??= crypto.randomBytes(16).toString('hex');
    return `${marker}${plainNumberText(v)}`;
  }) as string | undefined;
  if (marker === undefined || text === undefined) return text;
  return text.replace(new RegExp(`"${marker}(-?[0-9.]+)"`, 'g'), '$1');
}

/** JSON text as sent: its UTF-8 bytes and its ETag, made once (a cached answer is sent many times). */
export interface PreparedJson {
  bytes: Buffer;
  etag: string;
}

/**
 * `text`'s bytes and the ETag Express would give them by default (the `etag` package, weak:
 * `W/"<length hex>-<first 27 of the SHA-1 in base64>"`), with a one-shot hash of the bytes
 * that are sent anyway. Weak, as Express's default: the same JSON text is the same answer.
 */
export function prepareJson(text: string): PreparedJson {
  const bytes = Buffer.from(text, 'utf8');
  const hash = crypto.hash('sha1', bytes, 'base64').slice(0, 27);
  return { bytes, etag: `W/"${bytes.length.toString(16)}-${hash}"` };
}

/** Sends JSON already written (by PostgreSQL, or cached) as `res.json` sends a value (ETag, 304 included). */
export function sendJsonText(res: Response, json: string | PreparedJson | undefined): void {
  if (!res.get('Content-Type')) res.set('Content-Type', 'application/json; charset=utf-8');
  if (json === undefined) {
    res.send(undefined);
    return;
  }
  const { bytes, etag } = typeof json === 'string' ? prepareJson(json) : json;
  if (!res.get('ETag')) res.set('ETag', etag);
  res.send(bytes);
}

/** Makes `res.json` of every answer of `app` (routes, errors, the OpenAPI document) write plain numbers. */
export function writePlainNumbers(app: Express): void {
  app.response.json = function json(this: Response, body: unknown) {
    sendJsonText(this, toPlainJson(body));
    return this;
  };
}
