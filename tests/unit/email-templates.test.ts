import fc from 'fast-check';
import { escapeHtml, singleLine } from '../../src/domain/email/escape';
import {
  EMAIL_TEMPLATE_NAMES,
  type EmailMessage,
  type EmailTemplateData,
  type EmailTemplateName,
  emailLinks,
  emailTemplates,
  formatTicketNumbers,
  isEmailTemplateName,
  type RenderContext,
  type RenderedEmail,
  renderEmail,
  renderStoredEmail,
} from '../../src/domain/email/templates';
import { codeOf } from '../support/domain-error';

const APP = 'https://app.example';
const context = { appUrl: APP };
const SIGNATURE = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';

const samples: { [K in EmailTemplateName]: EmailTemplateData[K] } = {
  projectSubmitted: { projectName: 'Carrot DAO', projectId: 'uf_7Kq2' },
  ticketsPurchased: {
    ticketCount: 4,
    ticketNumbers: [1001, 1002, 1003, 1007],
    roundId: '2026-03',
    drawingDate: '2026-03-01T18:00:00Z',
  },
  distributionAvailable: { month: '2026-02', amountBaseUnits: '1500000000', currency: 'SOL' },
  reviewReminder: { projectId: 'uf_7Kq2', projectName: 'Carrot DAO', waitingSince: '2026-02-10T09:30:00Z' },
  projectUpdate: {
    projectName: 'Carrot DAO',
    projectId: 'uf_7Kq2',
    message: 'Smart contract audited.\nFrontend next.',
    progress: 40,
    status: 'in_progress',
  },
  projectStatusChanged: {
    projectName: 'Carrot DAO',
    projectId: 'uf_7Kq2',
    status: 'info_requested',
    previousStatus: 'pending_review',
    note: 'Please send the collection address.',
  },
  refundOwed: {
    signature: SIGNATURE,
    amountBaseUnits: '250000',
    currency: 'USDC',
    reason: 'the round had closed when the payment landed',
  },
};

/** Fields that carry free text from users or admins, per template. */
const textFields: { [K in EmailTemplateName]: (keyof EmailTemplateData[K])[] } = {
  projectSubmitted: ['projectName', 'projectId'],
  ticketsPurchased: ['roundId'],
  distributionAvailable: [],
  reviewReminder: ['projectName', 'projectId'],
  projectUpdate: ['projectName', 'projectId', 'message', 'status'],
  projectStatusChanged: ['projectName', 'projectId', 'status', 'previousStatus', 'note'],
  refundOwed: ['reason'],
};

const render = <K extends EmailTemplateName>(
  name: K,
  data: EmailTemplateData[K],
  ctx: RenderContext = context,
): RenderedEmail => renderEmail(name, data, ctx);

const cases = EMAIL_TEMPLATE_NAMES.flatMap((name) =>
  (textFields[name] as string[]).map((field) => [name, field] as [EmailTemplateName, string]),
);

const withField = (name: EmailTemplateName, field: string, value: string) =>
  ({ ...samples[name], [field]: value }) as EmailTemplateData[EmailTemplateName];

describe('escaping', () => {
  const PAYLOAD = `<script>alert("x")</script> & 'q'`;
  const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;';

  test('escapeHtml escapes & < > " \'', () => {
    expect(escapeHtml(PAYLOAD)).toBe(ESCAPED);
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  test.each(cases)('%s.%s: <script>, quotes and ampersands are escaped in HTML', (name, field) => {
    const email = render(name, withField(name, field, PAYLOAD) as never);
    expect(email.html).not.toContain('<script');
    expect(email.html).not.toContain('alert("x")');
    expect(email.html).not.toContain(`'q'`);
    expect(email.html).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    // In text positions the value appears escaped verbatim; in links it is percent-encoded first.
    if (field !== 'projectId') expect(email.html).toContain(ESCAPED);
    expect(email.text).toContain(`alert("x")`);
  });

  test.each(cases)('%s.%s: line breaks cannot reach the subject', (name, field) => {
    const email = render(name, withField(name, field, 'A\r\nBcc: victim@example.com\nX') as never);
    expect(email.subject).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
  });

  test('every value interpolated into the subject is single-line', () => {
    const email = render('projectStatusChanged', {
      ...samples.projectStatusChanged,
      projectName: 'Evil\r\nBcc: a@b.c',
      status: 'done\nnow',
    });
    expect(email.subject).toBe('Project Status Updated - Evil Bcc: a@b.c: Done now');
  });

  test('project id is percent-encoded in links and escaped in text', () => {
    const email = render('projectSubmitted', { projectName: 'X', projectId: `a"b<c>&d` });
    expect(email.html).toContain(`href="${APP}/utility-factory/project/a%22b%3Cc%3E%26d"`);
    expect(email.html).toContain('<strong>a&quot;b&lt;c&gt;&amp;d</strong>');
  });

  test('a link with & is escaped inside href', () => {
    const email = render('distributionAvailable', {
      ...samples.distributionAvailable,
      claimUrl: 'https://x.example/claim?a=1&b=2',
    });
    expect(email.html).toContain('href="https://x.example/claim?a=1&amp;b=2"');
    expect(email.text).toContain('https://x.example/claim?a=1&b=2');
  });

  test('escaped text of arbitrary strings appears, subjects stay on one line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (value) => {
        const expected = singleLine(value);
        fc.pre(expected !== '');
        const email = render('projectSubmitted', { projectName: value, projectId: 'uf_1' });
        expect(email.html).toContain(`Your project "${escapeHtml(expected)}" has been received.`);
        expect(email.subject).not.toMatch(/[\r\n]/);
        const escaped = escapeHtml(value);
        expect(escaped).not.toMatch(/[<>"']/);
        expect(escaped).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
      }),
      { numRuns: 500 },
    );
  });
});

describe('no placeholders, real values', () => {
  test.each(EMAIL_TEMPLATE_NAMES)('%s has text and HTML parts and no placeholder', (name) => {
    const email = render(name, samples[name] as never);
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).not.toMatch(/\[(TBD|link)\]|undefined|null|NaN|\[object Object\]|\{\{|\$\{/i);
    }
    expect(email.subject.length).toBeGreaterThan(0);
    expect(email.text.length).toBeGreaterThan(0);
    expect(email.html).toMatch(/^<!DOCTYPE html>/);
  });

  test('projectSubmitted keeps the original wording', () => {
    const email = render('projectSubmitted', samples.projectSubmitted);
    expect(email.subject).toBe('Project Submission Received - Carrot DAO');
    expect(email.html).toContain('<h1>Thank you for your submission!</h1>');
    expect(email.html).toContain('<p>Your project "Carrot DAO" has been received.</p>');
    expect(email.html).toContain('<p>Project ID: <strong>uf_7Kq2</strong></p>');
    expect(email.html).toContain("<p>We'll review it within 24 hours and get back to you.</p>");
    expect(email.text).toContain(`Follow its status at ${APP}/utility-factory/project/uf_7Kq2`);
  });

  test('the review promise is the configured SLA, escaped; rows without one keep 24 hours', () => {
    const email = render('projectSubmitted', { ...samples.projectSubmitted, reviewWithin: '2 <b>days</b>' });
    expect(email.html).toContain(
      "<p>We'll review it within 2 &lt;b&gt;days&lt;/b&gt; and get back to you.</p>",
    );
    const reminder = render('reviewReminder', { ...samples.reviewReminder, reviewWithin: '1 hour' });
    expect(reminder.text).toContain('Submitters were promised a review within 1 hour.');
    expect(render('reviewReminder', samples.reviewReminder).text).toContain('within 24 hours.');
  });

  test('ticketsPurchased has the real drawing date in UTC and a real link', () => {
    const email = render('ticketsPurchased', samples.ticketsPurchased);
    expect(email.subject).toBe('Lottery Tickets Confirmed - 4 Tickets');
    expect(email.html).toContain('<h1>Your lottery tickets are confirmed!</h1>');
    expect(email.html).toContain('<p>Ticket numbers: 1001–1003, 1007</p>');
    expect(email.html).toContain(
      '<p>Drawing date: <time datetime="2026-03-01T18:00:00.000Z">2026-03-01 18:00 UTC (Sunday, 1 March 2026)</time></p>',
    );
    expect(email.html).toContain('<p>Good luck!</p>');
    expect(email.text).toContain('Drawing date: 2026-03-01 18:00 UTC (Sunday, 1 March 2026)');
    expect(email.html).toContain(`href="${APP}/lottery/rounds/2026-03"`);
  });

  test('drawing dates with an offset are shown in UTC', () => {
    const email = render('ticketsPurchased', {
      ...samples.ticketsPurchased,
      drawingDate: '2026-03-01T23:30:00-02:00',
    });
    expect(email.text).toContain('2026-03-02 01:30 UTC (Monday, 2 March 2026)');
  });

  test('one ticket is "1 Ticket"', () => {
    const email = render('ticketsPurchased', {
      ...samples.ticketsPurchased,
      ticketCount: 1,
      ticketNumbers: [42],
    });
    expect(email.subject).toBe('Lottery Tickets Confirmed - 1 Ticket');
    expect(email.text).toContain('Ticket numbers: 42');
  });

  test('distributionAvailable formats exact amounts and links to the claim page', () => {
    const email = render('distributionAvailable', samples.distributionAvailable);
    expect(email.subject).toBe('Revenue Distribution Available - 2026-02');
    expect(email.html).toContain('<h1>Your revenue share is ready!</h1>');
    expect(email.html).toContain('<p>Distribution for 2026-02: 1.5 SOL</p>');
    expect(email.html).toContain(`Claim now at <a href="${APP}/revenue-pass/claim/2026-02">`);
    const tiny = render('distributionAvailable', {
      month: '2026-02',
      amountBaseUnits: '1',
      currency: 'USDC',
    });
    expect(tiny.text).toContain('Distribution for 2026-02: 0.000001 USDC');
    const big = render('distributionAvailable', {
      month: '2026-02',
      amountBaseUnits: '18446744073709551615',
      currency: 'SOL',
    });
    expect(big.text).toContain('18446744073.709551615 SOL');
  });

  test('reviewReminder links to the admin dashboard', () => {
    const email = render('reviewReminder', samples.reviewReminder);
    expect(email.text).toContain('since 2026-02-10 09:30 UTC (Tuesday, 10 February 2026)');
    expect(email.text).toContain(`${APP}/admin/projects/uf_7Kq2`);
    const custom = render('reviewReminder', samples.reviewReminder, {
      appUrl: APP,
      adminUrl: 'https://admin.example/',
    });
    expect(custom.text).toContain('https://admin.example/projects/uf_7Kq2');
  });

  test('projectUpdate keeps the message lines, progress and status', () => {
    const email = render('projectUpdate', samples.projectUpdate);
    expect(email.html).toContain('<blockquote>Smart contract audited.<br>\nFrontend next.</blockquote>');
    expect(email.text).toContain('> Smart contract audited.\n> Frontend next.');
    expect(email.text).toContain('Progress: 40%');
    expect(email.text).toContain('Status: In progress');
    const noProgress = render('projectUpdate', { ...samples.projectUpdate, progress: null });
    expect(noProgress.text).not.toContain('Progress');
  });

  test('projectStatusChanged names both statuses and the note', () => {
    const email = render('projectStatusChanged', samples.projectStatusChanged);
    expect(email.subject).toBe('Project Status Updated - Carrot DAO: Info requested');
    expect(email.text).toContain('changed from Pending review to: Info requested.');
    expect(email.text).toContain('Please send the collection address.');
  });

  test('refundOwed names the amount, transaction and reason', () => {
    const email = render('refundOwed', samples.refundOwed);
    expect(email.subject).toBe('Refund Owed - 0.25 USDC');
    expect(email.text).toContain(
      `payment of 0.25 USDC in transaction ${SIGNATURE}, but could not accept it: the round had closed when the payment landed.`,
    );
  });

  test('subjects are capped for the 500-character column', () => {
    const email = render('projectSubmitted', { projectName: 'x'.repeat(1000), projectId: 'uf_1' });
    expect(email.subject.length).toBeLessThanOrEqual(200);
  });

  test('formatTicketNumbers', () => {
    expect(formatTicketNumbers([])).toBe('');
    expect(formatTicketNumbers([5])).toBe('5');
    expect(formatTicketNumbers([1, 2])).toBe('1, 2');
    expect(formatTicketNumbers([3, 1, 2])).toBe('1–3');
    expect(formatTicketNumbers([1, 2, 3, 4, 9, 11, 12, 13])).toBe('1–4, 9, 11–13');
    expect(formatTicketNumbers(Array.from({ length: 10_000 }, (_, i) => i + 1))).toBe('1–10000');
  });
});

describe('links', () => {
  test('default links come from appUrl, trailing slash or not', () => {
    expect(emailLinks.projectStatus('https://app.example/', 'uf 1')).toBe(
      'https://app.example/utility-factory/project/uf%201',
    );
    expect(emailLinks.revenueClaim('https://app.example', '2026-02')).toBe(
      'https://app.example/revenue-pass/claim/2026-02',
    );
  });

  test('holder links point at frontendUrl (FRONTEND_URL) when set; the footer too', () => {
    const site = 'https://site.example';
    const email = render('projectSubmitted', samples.projectSubmitted, { appUrl: APP, frontendUrl: site });
    expect(email.text).toContain(`${site}/utility-factory/project/`);
    expect(email.text).toContain(`Stoned Rabbits · ${site}`);
    expect(email.text).not.toContain(APP);
  });

  test('overrides: absolute http(s) URLs and paths are accepted', () => {
    const path = render('projectSubmitted', { ...samples.projectSubmitted, statusUrl: '/p/uf_7Kq2' });
    expect(path.text).toContain(`${APP}/p/uf_7Kq2`);
    const absolute = render('projectSubmitted', {
      ...samples.projectSubmitted,
      statusUrl: 'https://other.example/s',
    });
    expect(absolute.text).toContain('https://other.example/s');
  });

  test.each([
    'javascript:alert(1)',
    '//evil.example/x',
    'https://x.example/"><script>',
    'ftp://x.example',
    'relative/path',
  ])('override %j is rejected', (statusUrl) => {
    expect(codeOf(() => render('projectSubmitted', { ...samples.projectSubmitted, statusUrl }))).toBe(
      'EmailDataInvalid',
    );
  });

  test.each(['', 'javascript:alert(1)', 'app.example', 'https://app.example/"onload="x'])(
    'appUrl %j is rejected',
    (appUrl) => {
      expect(codeOf(() => render('projectSubmitted', samples.projectSubmitted, { appUrl }))).toBe(
        'InvalidAppUrl',
      );
    },
  );
});

describe('registry and stored messages', () => {
  test('every template name has a template and nothing else is registered', () => {
    expect(Object.keys(emailTemplates).sort()).toEqual([...EMAIL_TEMPLATE_NAMES].sort());
    expect(isEmailTemplateName('projectSubmitted')).toBe(true);
    expect(isEmailTemplateName('toString')).toBe(false);
  });

  test.each(EMAIL_TEMPLATE_NAMES)(
    '%s renders the same after a JSON round trip of {template, data}',
    (name) => {
      const message = { template: name, data: samples[name] } as EmailMessage;
      const stored = JSON.parse(JSON.stringify(message)) as { template: string; data: unknown };
      expect(renderStoredEmail(stored, context)).toEqual(
        emailTemplates[name](samples[name] as never, context),
      );
    },
  );

  test('an unknown template is an error', () => {
    expect(codeOf(() => renderStoredEmail({ template: 'passwordReset', data: {} }, context))).toBe(
      'UnknownEmailTemplate',
    );
    expect(codeOf(() => renderStoredEmail({ template: 'constructor', data: {} }, context))).toBe(
      'UnknownEmailTemplate',
    );
  });

  test.each<[EmailTemplateName, Record<string, unknown>]>([
    ['projectSubmitted', { projectName: '', projectId: 'x' }],
    ['projectSubmitted', { projectName: 'x' }],
    ['ticketsPurchased', { ...samples.ticketsPurchased, ticketNumbers: [1, 2] }],
    ['ticketsPurchased', { ...samples.ticketsPurchased, ticketCount: 0, ticketNumbers: [] }],
    ['ticketsPurchased', { ...samples.ticketsPurchased, drawingDate: 'tomorrow' }],
    ['ticketsPurchased', { ...samples.ticketsPurchased, drawingDate: '2026-03-01T18:00:00' }],
    ['ticketsPurchased', { ...samples.ticketsPurchased, drawingDate: '2026-13-01T18:00:00Z' }],
    ['distributionAvailable', { ...samples.distributionAvailable, amountBaseUnits: 1.5 }],
    ['distributionAvailable', { ...samples.distributionAvailable, amountBaseUnits: '1.5' }],
    ['distributionAvailable', { ...samples.distributionAvailable, amountBaseUnits: '-1' }],
    ['distributionAvailable', { ...samples.distributionAvailable, currency: 'BTC' }],
    ['distributionAvailable', { ...samples.distributionAvailable, month: '2026-2' }],
    ['projectUpdate', { ...samples.projectUpdate, progress: 101 }],
    ['projectUpdate', { ...samples.projectUpdate, progress: 12.5 }],
    ['projectUpdate', { ...samples.projectUpdate, message: '  \n ' }],
    ['refundOwed', { ...samples.refundOwed, signature: 'not-a-signature' }],
  ])('%s rejects invalid data %j', (template, data) => {
    expect(codeOf(() => renderStoredEmail({ template, data }, context))).toBe('EmailDataInvalid');
  });

  test('data that is not an object is an error', () => {
    expect(codeOf(() => renderStoredEmail({ template: 'projectSubmitted', data: null }, context))).toBe(
      'EmailDataInvalid',
    );
  });
});
