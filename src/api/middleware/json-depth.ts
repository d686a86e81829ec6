/**
 * A bound on JSON nesting, checked on the raw bytes before JSON.parse runs (express.json's
 * `verify` hook): a deeply nested body is refused for the price of one scan, never parsed.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors';

/** Deeper than any body of ours needs (the deepest is 3); far below what costs the parser. */
export const MAX_JSON_DEPTH = 32;

const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;

/** The deepest nesting of objects and arrays in `json`, strings skipped; stops past `limit`. */
export function jsonDepth(json: Uint8Array, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const byte = json[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
  }
  return deepest;
}

export function refuseDeepNesting(_req: IncomingMessage, _res: unknown, body: Buffer): void {
  if (jsonDepth(body, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ApiError(400, 'TooDeep', `Request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
}
