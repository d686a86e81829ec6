/**
 * How an outbox row leaves the building (DESIGN §7): one interface, two transports.
 *
 * - `sendgrid`: `@sendgrid/mail` with its client's base URL set from `SENDGRID_API_URL`, so
 *   tests and local demos point it at the mail sink (src/email/local/sink.ts).
 * - `log`: one summary line per e-mail through the logger (to, template, subject); never the
 *   body, which carries claim links and other things that do not belong in logs.
 *
 * Every failure is an `EmailTransportError`, split by what the sender should do next:
 * `TransientEmailError` (429, 5xx, network: retry, honouring Retry-After) or
 * `PermanentEmailError` (the provider refused this message: record it failed). Messages are
 * built from the status and the provider's own error text only, never from the request, so
 * the API key cannot leak into logs, workflow history or the outbox row.
 */
import crypto from 'node:crypto';
import { Client } from '@sendgrid/client';
import { MailService, type MailDataRequired } from '@sendgrid/mail';
import type { Config } from '../config';
import type { Logger } from '../logger';

export interface OutgoingEmail {
  /** The outbox row id; also sent as `custom_args.email_id` so webhooks can be matched. */
  emailId: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  template?: string | null;
}

export interface SendOptions {
  /**
   * Same key ⇒ same e-mail. Sent as `custom_args.idempotency_key`; a provider that dedupes
   * on it (the mail sink) answers a repeat with the first message id and sends nothing.
   */
  idempotencyKey: string;
}

export interface SendResult {
  /** The provider's id for the accepted message (SendGrid's `X-Message-Id`), if it gave one. */
  providerMessageId: string | null;
}

export interface EmailTransport {
  readonly name: string;
  /**
   * Whether sending the same idempotency key again can never produce a second e-mail:
   * the provider dedupes on it, or the transport delivers nothing. When false, a row whose
   * send outcome is unknown (the sender died after calling the provider) is not resent.
   */
  readonly safeToResend: boolean;
  send(message: OutgoingEmail, options: SendOptions): Promise<SendResult>;
}

export abstract class EmailTransportError extends Error {
  abstract readonly kind: 'transient' | 'permanent';
  constructor(
    message: string,
    /** HTTP status from the provider; undefined for network errors. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Try again later: rate limited, provider trouble, or the network. */
export class TransientEmailError extends EmailTransportError {
  override readonly name = 'TransientEmailError';
  readonly kind = 'transient' as const;
  constructor(
    message: string,
    status?: number,
    /** From Retry-After (or SendGrid's X-RateLimit-Reset), when the provider said. */
    readonly retryAfterMs?: number,
    /**
     * True when the provider may have accepted the message despite the error (the request
     * went out and no answer came back: a timeout or a reset connection). An HTTP error
     * answer or a refused connection means it certainly did not.
     */
    readonly maybeAccepted = false,
  ) {
    super(message, status);
  }
}

/** The provider refused this message; sending it again will not help. */
export class PermanentEmailError extends EmailTransportError {
  override readonly name = 'PermanentEmailError';
  readonly kind = 'permanent' as const;
}

// ---------------------------------------------------------------------------------------
// Classification (pure)
// ---------------------------------------------------------------------------------------

/**
 * 429, 408 and 5xx are transient. So are 401 and 403: SendGrid answers them for a bad or
 * revoked API key and an unverified sender, problems of our configuration rather than of
 * the message, so the row waits (with backoff) for ops to fix the key instead of failing
 * every queued e-mail. Every other 4xx is permanent.
 */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 408 || status === 401 || status === 403 || status >= 500;
}

/**
 * Retry-After as seconds or an HTTP date; else SendGrid's X-RateLimit-Reset (epoch seconds).
 * Returns milliseconds from `now`, or undefined when absent or unparseable.
 */
export function parseRetryAfter(
  headers: Readonly<Record<string, unknown>> | undefined,
  now: number = Date.now(),
): number | undefined {
  const retryAfter = headerValue(headers, 'retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = headerValue(headers, 'x-ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return undefined;
}

/** SendGrid's `{errors: [{message, field}]}` as one line; falls back to the status text. */
export function describeProviderErrors(body: unknown, fallback: string): string {
  const errors = (body as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return fallback;
  return errors
    .map((e: unknown) => {
      const { message, field } = (e ?? {}) as { message?: unknown; field?: unknown };
      const text = typeof message === 'string' && message ? message : 'error';
      return typeof field === 'string' && field ? `${text} (field: ${field})` : text;
    })
    .join('; ');
}

/** Connection never made: the request certainly did not reach the provider. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Turns whatever the SendGrid client threw into our typed error. Only the status, the
 * provider's error text and a network error code are kept; the client's error object
 * (which carries the request and its Authorization header) is dropped here.
 */
export function classifySendGridError(error: unknown, secrets: readonly string[] = []): EmailTransportError {
  const e = error as {
    code?: unknown;
    message?: unknown;
    response?: { headers?: Record<string, unknown>; body?: unknown };
  };
  const redact = (text: string) =>
    secrets.reduce((acc, secret) => (secret ? acc.split(secret).join('[redacted]') : acc), text);

  if (typeof e?.code === 'number' && e.response) {
    const status = e.code;
    const detail = redact(
      describeProviderErrors(e.response.body, typeof e.message === 'string' ? e.message : ''),
    );
    const message = `SendGrid answered ${status}${detail ? `: ${detail}` : ''}`;
    if (isTransientStatus(status)) {
      return new TransientEmailError(message, status, parseRetryAfter(e.response.headers));
    }
    return new PermanentEmailError(message, status);
  }
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const text = redact(typeof e?.message === 'string' ? e.message : String(error));
  const notSent = code !== undefined && NOT_SENT_CODES.has(code);
  return new TransientEmailError(
    `SendGrid unreachable${code ? ` (${code})` : ''}: ${text}`,
    undefined,
    undefined,
    !notSent,
  );
}

// ---------------------------------------------------------------------------------------
// Transports
// ---------------------------------------------------------------------------------------

export interface SendGridSettings {
  apiKey: string;
  /** e.g. https://api.sendgrid.com or the mail sink's URL. */
  apiUrl: string;
  timeoutMs: number;
  /** Whether the provider at apiUrl dedupes by idempotency key (config EMAIL_PROVIDER_DEDUPES). */
  providerDedupes: boolean;
}

export function createSendGridTransport(settings: SendGridSettings): EmailTransport {
  // An instance of our own (not the package's singleton), so two transports never share a key or URL.
  const client = new Client();
  client.setApiKey(settings.apiKey);
  // After setApiKey, which resets the base URL to SendGrid's global region.
  client.setDefaultRequest('baseUrl', `${settings.apiUrl.replace(/\/+$/, '')}/`);
  const mail = new MailService();
  mail.setClient(client);
  mail.setTimeout(settings.timeoutMs);

  return {
    name: 'sendgrid',
    safeToResend: settings.providerDedupes,
    async send(message, { idempotencyKey }) {
      const data: MailDataRequired = {
        to: message.to,
        from: message.from,
        subject: message.subject,
        // text/plain first: SendGrid requires that order.
        content: [
          { type: 'text/plain', value: message.text },
          { type: 'text/html', value: message.html },
        ],
        customArgs: { email_id: message.emailId, idempotency_key: idempotencyKey },
        ...(message.template ? { categories: [message.template] } : {}),
      };
      try {
        const [response] = await mail.send(data);
        const id = headerValue(response.headers as Record<string, unknown> | undefined, 'x-message-id');
        return { providerMessageId: id ?? null };
      } catch (error) {
        throw classifySendGridError(error, [settings.apiKey]);
      }
    },
  };
}

export function createLogTransport(logger: Logger): EmailTransport {
  return {
    name: 'log',
    // Nothing is delivered, so a repeat is only a repeated log line.
    safeToResend: true,
    async send(message, { idempotencyKey }) {
      // One line, summary fields only: the body and text never reach the log.
      logger.info(
        {
          emailId: message.emailId,
          to: message.to,
          template: message.template ?? null,
          subject: message.subject,
        },
        'e-mail (log transport, not sent)',
      );
      return {
        providerMessageId: `log-${crypto.createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 22)}`,
      };
    },
  };
}

/** The transport the config asks for. */
export function createEmailTransport(config: Config, logger: Logger): EmailTransport {
  const email = config.email;
  if (email.transport === 'log') return createLogTransport(logger);
  if (!email.sendgridApiKey) throw new Error('SENDGRID_API_KEY is required for the sendgrid transport');
  return createSendGridTransport({
    apiKey: email.sendgridApiKey,
    apiUrl: email.sendgridApiUrl,
    timeoutMs: email.sendTimeoutMs,
    providerDedupes: email.providerDedupes,
  });
}

function headerValue(
  headers: Readonly<Record<string, unknown>> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return undefined;
}
