import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { invalid } from '@exchange/domain';
import { problem } from './problem';
import { sendProblem } from './problem.filter';

/**
 * How deeply arrays and objects may nest in a JSON body or a signed payload. The exchange's own
 * documents nest four levels at most; the limit is there so that no parser, validator, canonicalizer
 * or hash walks a structure deep enough to exhaust the stack.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether JSON text (UTF-8 bytes or a string) nests arrays and objects deeper than `limit`,
 * counting brackets outside strings only. A linear scan that stops at the first level too deep;
 * it needs no well-formed input (an unclosed `[[[[` counts as well), so it runs before parsing.
 */
export function jsonNestsDeeperThan(text: Uint8Array | string, limit = MAX_JSON_DEPTH): boolean {
  const at = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i]!;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = at(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/** The first byte that is not JSON whitespace, after an optional UTF-8 byte order mark. */
function firstSignificantByte(bytes: Uint8Array): number | undefined {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return bytes[i];
}

export const tooDeeplyNested = (what: string) =>
  invalid('too-deeply-nested', `${what} nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`);

/**
 * The JSON body parser's `verify` hook: it sees the raw bytes before they are parsed, and refuses
 * (400) a body nested deeper than MAX_JSON_DEPTH or whose top level is not an object. An empty
 * body passes (it parses as `{}` and fails validation with field errors).
 */
export function verifyJsonBody(_req: IncomingMessage, _res: ServerResponse, bytes: Buffer): void {
  if (jsonNestsDeeperThan(bytes)) throw tooDeeplyNested('the request body');
  const first = firstSignificantByte(bytes);
  if (first !== undefined && first !== OPEN_OBJECT) throw invalid('body-not-an-object', 'the request body must be a JSON object');
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;
const FORM_MEDIA_TYPE = /^application\/x-www-form-urlencoded$/i;
/** Where a form-encoded body is accepted besides JSON: OAuth 2.0 client credentials (RFC 6749 §4.4). */
export const FORM_ENDPOINTS = ['/v1/auth/token'];

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/**
 * Refuses, with 415 problem+json, a request body that is not JSON (`application/json` or
 * `application/*+json`, UTF-8): no endpoint takes anything else, except the token endpoint, which
 * also takes `application/x-www-form-urlencoded`. Runs before the body parsers, so a refused body
 * is never parsed.
 */
export function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  if (!hasBody(req)) return next();
  const header = req.headers['content-type'] ?? '';
  const [mediaType = '', ...parameters] = header.split(';').map((part) => part.trim());
  const charset = parameters.map((p) => /^charset\s*=\s*"?([^";]*)"?$/i.exec(p)?.[1]).find((c) => c !== undefined);
  const form = FORM_MEDIA_TYPE.test(mediaType) && FORM_ENDPOINTS.includes(req.path);
  if (!JSON_MEDIA_TYPE.test(mediaType) && !form) {
    return sendProblem(
      res,
      problem(
        415,
        'unsupported-media-type',
        `send the request body as application/json${FORM_ENDPOINTS.includes(req.path) ? ' or application/x-www-form-urlencoded' : ''} (got ${header ? JSON.stringify(header.slice(0, 100)) : 'no Content-Type'})`,
      ),
    );
  }
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    return sendProblem(
      res,
      problem(415, 'unsupported-media-type', `the request body must be UTF-8 (got charset ${JSON.stringify(charset.slice(0, 40))})`),
    );
  }
  next();
}
