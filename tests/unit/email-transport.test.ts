import { Writable } from 'node:stream';
import pino from 'pino';
import { emailBackoffMs } from '../../src/email/delivery';
import { idempotencyKeyFor } from '../../src/db/email/sending';
import { validateMailSend } from '../../src/email/local/sink';
import {
  PermanentEmailError,
  TransientEmailError,
  classifySendGridError,
  createLogTransport,
  describeProviderErrors,
  isTransientStatus,
  parseRetryAfter,
} from '../../src/email/transport';

/** What the SendGrid client rejects with for an HTTP error answer (its ResponseError). */
const responseError = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Object.assign(new Error('Bad Request'), { code: status, response: { headers, body } });

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads seconds, HTTP dates and SendGrid X-RateLimit-Reset', () => {
    expect(parseRetryAfter({ 'retry-after': '3' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'Retry-After': '0.5' }, now)).toBe(500);
    expect(parseRetryAfter({ 'retry-after': 'Sun, 01 Mar 2026 12:00:10 GMT' }, now)).toBe(10_000);
    expect(parseRetryAfter({ 'x-ratelimit-reset': String(now / 1000 + 7) }, now)).toBe(7000);
  });

  it('prefers Retry-After, never goes negative, and ignores what it cannot read', () => {
    expect(parseRetryAfter({ 'retry-after': '2', 'x-ratelimit-reset': String(now / 1000 + 60) }, now)).toBe(
      2000,
    );
    expect(parseRetryAfter({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' }, now)).toBe(0);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('classifying SendGrid errors', () => {
  it('splits statuses: 429, 408, 5xx and credential problems are transient, other 4xx permanent', () => {
    for (const s of [429, 408, 500, 502, 503, 401, 403]) expect(isTransientStatus(s)).toBe(true);
    for (const s of [400, 404, 413, 422]) expect(isTransientStatus(s)).toBe(false);
  });

  it('a 400 is permanent and carries SendGrid’s own message', () => {
    const error = classifySendGridError(
      responseError(400, {
        errors: [{ message: 'Does not contain a valid address.', field: 'personalizations.0.to.0.email' }],
      }),
    );
    expect(error).toBeInstanceOf(PermanentEmailError);
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      'SendGrid answered 400: Does not contain a valid address. (field: personalizations.0.to.0.email)',
    );
  });

  it('a 429 is transient with its Retry-After', () => {
    const error = classifySendGridError(
      responseError(429, { errors: [{ message: 'too many requests' }] }, { 'retry-after': '2' }),
    );
    expect(error).toBeInstanceOf(TransientEmailError);
    expect((error as TransientEmailError).retryAfterMs).toBe(2000);
    expect((error as TransientEmailError).maybeAccepted).toBe(false);
  });

  it('network errors are transient; only a refused connection is certainly not sent', () => {
    const refused = classifySendGridError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    );
    const timeout = classifySendGridError(
      Object.assign(new Error('timeout of 15000ms exceeded'), { code: 'ECONNABORTED' }),
    );
    expect(refused).toBeInstanceOf(TransientEmailError);
    expect((refused as TransientEmailError).maybeAccepted).toBe(false);
    expect((timeout as TransientEmailError).maybeAccepted).toBe(true);
  });

  it('never repeats the API key, even if the provider echoes it', () => {
    const key = 'SG.very-secret-key';
    const error = classifySendGridError(responseError(400, { errors: [{ message: `bad key ${key}` }] }), [
      key,
    ]);
    expect(error.message).not.toContain(key);
    expect(error.message).toContain('[redacted]');
  });

  it('describes provider errors, falling back to the status text', () => {
    expect(describeProviderErrors({ errors: [{ message: 'a' }, { message: 'b', field: 'f' }] }, 'x')).toBe(
      'a; b (field: f)',
    );
    expect(describeProviderErrors('<html>oops</html>', 'Bad Gateway')).toBe('Bad Gateway');
  });
});

describe('log transport', () => {
  it('prints one summary line (to, template, subject) and never the body', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const transport = createLogTransport(pino({ level: 'info' }, sink));
    const result = await transport.send(
      {
        emailId: 'e1',
        to: 'holder@example.com',
        from: 'noreply@example.com',
        subject: 'Revenue Distribution Available - 2026-02',
        text: 'Claim now at https://example.com/claim/SECRET-TEXT-TOKEN',
        html: '<p>Claim now at <a href="https://example.com/claim/SECRET-HTML-TOKEN">here</a></p>',
        template: 'distributionAvailable',
      },
      { idempotencyKey: 'e1.1' },
    );
    expect(result.providerMessageId).toMatch(/^log-/);
    expect(lines).toHaveLength(1);
    const line = lines[0] ?? '';
    expect(JSON.parse(line)).toMatchObject({
      to: 'holder@example.com',
      template: 'distributionAvailable',
      subject: 'Revenue Distribution Available - 2026-02',
    });
    expect(line).not.toContain('SECRET-TEXT-TOKEN');
    expect(line).not.toContain('SECRET-HTML-TOKEN');
    expect(line).not.toContain('Claim now');
  });
});

describe('mail sink request validation', () => {
  const valid = {
    personalizations: [{ to: [{ email: 'a@example.com' }] }],
    from: { email: 'noreply@example.com' },
    subject: 'Hi',
    content: [
      { type: 'text/plain', value: 'hi' },
      { type: 'text/html', value: '<p>hi</p>' },
    ],
    custom_args: { idempotency_key: 'k1' },
  };

  it('accepts a SendGrid v3 mail/send body', () => {
    const result = validateMailSend(valid);
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.mail).toMatchObject({ to: ['a@example.com'], text: 'hi', html: '<p>hi</p>' });
  });

  it('names each problem field like SendGrid does', () => {
    const fields = (body: unknown) => {
      const result = validateMailSend(body);
      return result.ok ? [] : result.errors.map((e) => e.field);
    };
    expect(fields({ ...valid, personalizations: [] })).toEqual(['personalizations']);
    expect(fields({ ...valid, personalizations: [{ to: [{ email: 'nope' }] }] })).toEqual([
      'personalizations.0.to.0.email',
    ]);
    expect(fields({ ...valid, from: {} })).toEqual(['from.email']);
    expect(fields({ ...valid, subject: undefined })).toEqual(['subject']);
    expect(
      fields({
        ...valid,
        content: [
          { type: 'text/html', value: '<p/>' },
          { type: 'text/plain', value: 'x' },
        ],
      }),
    ).toEqual(['content.1.type']);
    expect(fields({ ...valid, custom_args: { n: 1 } })).toEqual(['custom_args.n']);
    expect(fields([])).toEqual([null]);
  });
});

describe('delivery helpers', () => {
  it('backs off exponentially up to the maximum', () => {
    const retry = { initialIntervalMs: 100, maximumIntervalMs: 500 };
    expect([1, 2, 3, 4, 5].map((a) => emailBackoffMs(retry, a))).toEqual([100, 200, 400, 500, 500]);
  });

  it('derives the idempotency key from the row and its first claim', () => {
    const claimedAt = new Date('2026-03-01T12:00:00.123Z');
    expect(idempotencyKeyFor('0b7c', claimedAt)).toBe(`0b7c.${claimedAt.getTime()}`);
  });
});
