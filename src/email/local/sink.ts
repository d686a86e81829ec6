/**
 * A local SendGrid-compatible mail sink for tests and local demos (DESIGN §9: the only
 * stand-ins are at the network boundary, and they speak the real protocol).
 *
 *   POST /v3/mail/send   SendGrid v3 JSON; needs `Authorization: Bearer <key>`; 202 with
 *                        `X-Message-Id`, or SendGrid-shaped `{errors: [...]}` answers.
 *   GET  /               the inbox page: every message, HTML and text parts (inbox-page.ts).
 *   GET  /sink/messages  what was received (for demos); DELETE resets.
 *   POST /sink/fail-next `{count, status, retryAfter?, message?}`: the next sends fail.
 *
 * It dedupes like an idempotent API: a second message with the same
 * `custom_args.idempotency_key` is answered 202 with the first one's message id and is not
 * recorded again (`requests()` still lists it, marked `duplicate`).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderInboxPage } from './inbox-page';

export interface SinkMessage {
  messageId: string;
  idempotencyKey: string | null;
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  customArgs: Record<string, string>;
  categories: string[];
  receivedAt: Date;
  /** The request body as received. */
  body: Record<string, unknown>;
}

export interface SinkRequest {
  at: Date;
  status: number;
  idempotencyKey: string | null;
  duplicate: boolean;
}

export interface FailOptions {
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** The error message in the SendGrid-shaped body. */
  message?: string;
  field?: string;
}

export interface MailSink {
  /** Base URL to use as SENDGRID_API_URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Accepted messages, duplicates excluded, oldest first. */
  received(): SinkMessage[];
  /** Every POST /v3/mail/send with the status it got, oldest first. */
  requests(): SinkRequest[];
  /** The next `count` sends are answered `status` (e.g. 429, 500, 400). */
  failNext(count: number, status: number, options?: FailOptions): void;
  /** Forgets messages, requests, dedupe keys and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

export interface MailSinkOptions {
  /** 0 or absent: a free port. */
  port?: number;
  host?: string;
  /** When set, only this Bearer key is accepted; otherwise any non-empty key is. */
  apiKey?: string;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

interface PlannedFailure extends FailOptions {
  status: number;
}

export async function startMailSink(options: MailSinkOptions = {}): Promise<MailSink> {
  let messages: SinkMessage[] = [];
  let requests: SinkRequest[] = [];
  let byKey = new Map<string, string>();
  let failures: PlannedFailure[] = [];

  const planFailures = (count: number, status: number, fail: FailOptions = {}) => {
    if (!Number.isInteger(count) || count < 0) throw new Error('count must be a non-negative integer');
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error('status must be 400..599');
    for (let i = 0; i < count; i++) failures.push({ status, ...fail });
  };

  const server = http.createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, sendGridErrors('internal sink error'));
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://sink').pathname.replace(/\/+$/, '');
    if (path === '/v3/mail/send') {
      if (req.method !== 'POST') return sendJson(res, 405, sendGridErrors('method not allowed'));
      return mailSend(req, res);
    }
    if (path === '' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderInboxPage(messages));
      return;
    }
    if (path === '/sink/messages' && req.method === 'GET') {
      return sendJson(res, 200, { messages: messages.map(({ body: _body, ...m }) => m) });
    }
    if (path === '/sink/messages' && req.method === 'DELETE') {
      reset();
      res.writeHead(204).end();
      return;
    }
    if (path === '/sink/fail-next' && req.method === 'POST') {
      const body = await readJson(req);
      const { count, status, retryAfter, message } = (body.ok ? body.value : {}) as Record<string, unknown>;
      try {
        planFailures(Number(count ?? 1), Number(status), {
          ...(retryAfter === undefined ? {} : { retryAfter: Number(retryAfter) }),
          ...(typeof message === 'string' ? { message } : {}),
        });
      } catch (err) {
        return sendJson(res, 400, sendGridErrors((err as Error).message));
      }
      return sendJson(res, 200, { pendingFailures: failures.length });
    }
    sendJson(res, 404, sendGridErrors('not found'));
  }

  async function mailSend(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const at = new Date();
    const note = (status: number, idempotencyKey: string | null = null, duplicate = false) =>
      requests.push({ at, status, idempotencyKey, duplicate });

    const auth = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!auth || (options.apiKey !== undefined && auth[1] !== options.apiKey)) {
      await drain(req);
      note(401);
      return sendJson(
        res,
        401,
        sendGridErrors('The provided authorization grant is invalid, expired, or revoked'),
      );
    }

    const isJson = /^application\/json\b/i.test(req.headers['content-type'] ?? '');
    const parsed = await readJson(req);
    const key = parsed.ok ? idempotencyKeyOf(parsed.value) : null;

    const planned = failures.shift();
    if (planned) {
      note(planned.status, key);
      const headers: Record<string, string> = {};
      if (planned.retryAfter !== undefined) headers['Retry-After'] = String(planned.retryAfter);
      return sendJson(
        res,
        planned.status,
        sendGridErrors(planned.message ?? defaultFailureMessage(planned.status), planned.field ?? null),
        headers,
      );
    }
    if (!isJson) {
      note(415, key);
      return sendJson(res, 415, sendGridErrors('Content-Type should be application/json.'));
    }
    if (!parsed.ok) {
      note(parsed.status);
      return sendJson(res, parsed.status, sendGridErrors(parsed.message));
    }
    const checked = validateMailSend(parsed.value);
    if (!checked.ok) {
      note(400, key);
      return sendJson(res, 400, { errors: checked.errors });
    }
    const mail = checked.mail;
    const previous = key === null ? undefined : byKey.get(key);
    if (previous !== undefined) {
      note(202, key, true);
      res.writeHead(202, { 'X-Message-Id': previous }).end();
      return;
    }
    const messageId = crypto.randomBytes(16).toString('base64url').slice(0, 22);
    if (key !== null) byKey.set(key, messageId);
    messages.push({ ...mail, messageId, idempotencyKey: key, receivedAt: at });
    note(202, key);
    res.writeHead(202, { 'X-Message-Id': messageId }).end();
  }

  function reset() {
    messages = [];
    requests = [];
    byKey = new Map();
    failures = [];
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    received: () => messages.map((m) => ({ ...m })),
    requests: () => requests.map((r) => ({ ...r })),
    failNext: planFailures,
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------
// SendGrid v3 request shape (the subset a mail/send with content uses)
// ---------------------------------------------------------------------------------------

interface SendGridError {
  message: string;
  field: string | null;
  help: string | null;
}

type ValidMail = Omit<SinkMessage, 'messageId' | 'idempotencyKey' | 'receivedAt'>;

export function validateMailSend(
  body: unknown,
): { ok: true; mail: ValidMail } | { ok: false; errors: SendGridError[] } {
  const errors: SendGridError[] = [];
  const fail = (field: string | null, message: string) => errors.push({ message, field, help: null });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    fail(null, 'Bad Request');
    return { ok: false, errors };
  }
  const b = body as Record<string, unknown>;

  const to: string[] = [];
  let everyPersonalizationHasSubject = true;
  const personalizations = b.personalizations;
  if (!Array.isArray(personalizations) || personalizations.length === 0) {
    fail(
      'personalizations',
      'The personalizations field is required and must have at least one personalization.',
    );
  } else if (personalizations.length > 1000) {
    fail('personalizations', 'You may not have more than 1000 personalizations per API request.');
  } else {
    personalizations.forEach((p: unknown, i) => {
      const entry = (p ?? {}) as Record<string, unknown>;
      const recipients = entry.to;
      if (!Array.isArray(recipients) || recipients.length === 0) {
        fail(
          `personalizations.${i}.to`,
          'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
        );
      } else {
        recipients.forEach((r: unknown, j) => {
          const email = (r as { email?: unknown } | null)?.email;
          if (typeof email !== 'string' || !EMAIL.test(email)) {
            fail(`personalizations.${i}.to.${j}.email`, 'Does not contain a valid address.');
          } else to.push(email);
        });
      }
      for (const list of ['cc', 'bcc'] as const) {
        const value = entry[list];
        if (
          value !== undefined &&
          (!Array.isArray(value) || value.some((r) => typeof (r as { email?: unknown })?.email !== 'string'))
        ) {
          fail(`personalizations.${i}.${list}`, `The ${list} field must be an array of email objects.`);
        }
      }
      if (typeof entry.subject !== 'string' || entry.subject === '') everyPersonalizationHasSubject = false;
    });
  }

  const from = (b.from as { email?: unknown } | null | undefined)?.email;
  if (typeof from !== 'string' || !EMAIL.test(from)) {
    fail(
      'from.email',
      'The from object must be provided for every email send. It is an object that requires an email parameter, but may also contain a name parameter.',
    );
  }

  const hasTemplate = typeof b.template_id === 'string' && b.template_id !== '';
  const subject = b.subject;
  if (subject !== undefined && typeof subject !== 'string') fail('subject', 'The subject must be a string.');
  if (!hasTemplate && !everyPersonalizationHasSubject && (typeof subject !== 'string' || subject === '')) {
    fail(
      'subject',
      'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
    );
  } else if (typeof subject === 'string' && /[\r\n]/.test(subject)) {
    fail('subject', 'The subject may not contain line breaks.');
  }

  let text: string | null = null;
  let html: string | null = null;
  const content = b.content;
  if (content === undefined) {
    if (!hasTemplate)
      fail('content', 'Unless a valid template_id is provided, the content parameter is required.');
  } else if (!Array.isArray(content) || content.length === 0) {
    fail('content', 'The content value must be an array with at least one object.');
  } else {
    content.forEach((c: unknown, i) => {
      const { type, value } = (c ?? {}) as { type?: unknown; value?: unknown };
      if (typeof type !== 'string' || type === '')
        fail(`content.${i}.type`, 'The content type must be a string at least one character in length.');
      if (typeof value !== 'string' || value === '')
        fail(`content.${i}.value`, 'The content value must be a string at least one character in length.');
      if (type === 'text/plain') {
        if (i !== 0)
          fail(
            `content.${i}.type`,
            'If present, text/plain content must be first, followed by any other content.',
          );
        if (typeof value === 'string') text = value;
      }
      if (type === 'text/html' && typeof value === 'string') html = value;
    });
  }

  const customArgs: Record<string, string> = {};
  if (b.custom_args !== undefined) {
    if (typeof b.custom_args !== 'object' || b.custom_args === null || Array.isArray(b.custom_args)) {
      fail('custom_args', 'custom_args must be an object of string values.');
    } else {
      for (const [k, v] of Object.entries(b.custom_args)) {
        if (typeof v !== 'string') fail(`custom_args.${k}`, 'custom_args values must be strings.');
        else customArgs[k] = v;
      }
      if (JSON.stringify(b.custom_args).length > 10_000)
        fail('custom_args', 'custom_args may not exceed 10,000 bytes.');
    }
  }

  const categories: string[] = [];
  if (b.categories !== undefined) {
    if (
      !Array.isArray(b.categories) ||
      b.categories.length > 10 ||
      b.categories.some((c) => typeof c !== 'string' || c.length > 255)
    ) {
      fail(
        'categories',
        'You may not have more than 10 categories per request, each a string of at most 255 characters.',
      );
    } else categories.push(...(b.categories as string[]));
  }

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    mail: {
      from: from as string,
      to,
      subject: typeof subject === 'string' ? subject : '',
      text,
      html,
      customArgs,
      categories,
      body: b,
    },
  };
}

// ---------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------

function idempotencyKeyOf(body: unknown): string | null {
  const key = (body as { custom_args?: { idempotency_key?: unknown } } | null)?.custom_args?.idempotency_key;
  return typeof key === 'string' && key !== '' ? key : null;
}

function sendGridErrors(message: string, field: string | null = null): { errors: SendGridError[] } {
  return { errors: [{ message, field, help: null }] };
}

function defaultFailureMessage(status: number): string {
  if (status === 429) return 'too many requests';
  if (status >= 500) return 'internal server error';
  return 'The request was rejected (simulated by the mail sink).';
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

async function readJson(
  req: http.IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      await drain(req);
      return { ok: false, status: 413, message: 'The JSON payload is too large.' };
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, message: 'Bad Request: the body is not valid JSON.' };
  }
}

async function drain(req: http.IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}
