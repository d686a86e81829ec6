/**
 * E-mail templates (DESIGN §7). Pure functions of JSON-safe data, so the outbox stores
 * `{template, data}` (an `EmailMessage`) with the business change and renders it when it
 * sends: `renderEmail(template, data, { appUrl })`.
 *
 * The original design's three templates keep their wording; what changed: every
 * interpolated value is HTML-escaped, amounts are exact base-unit strings formatted by
 * domain/money (never floats), the drawing date and the links are real (built from
 * `appUrl`), subjects are one line, and every e-mail has a text part.
 */
import { DomainError } from '../errors';
import { type Currency, formatAmount, isCurrency, parseBaseUnits } from '../money';
import { escapeHtml, escapeHtmlMultiline, normalizeNewlines, singleLine } from './escape';

export type EmailErrorCode = 'EmailDataInvalid' | 'UnknownEmailTemplate' | 'InvalidAppUrl';

const emailError = (code: EmailErrorCode, message: string) => new DomainError<EmailErrorCode>(code, message);

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderContext {
  /** This backend's public URL (APP_URL); the admin dashboard's base. */
  appUrl: string;
  /** The holder-facing site that holder links point at (FRONTEND_URL); defaults to appUrl. */
  frontendUrl?: string;
  /** Admin dashboard; defaults to `${appUrl}/admin`. */
  adminUrl?: string;
}

// ---------------------------------------------------------------------------------------
// Template data: JSON-safe on purpose (amounts are base-unit integer strings, dates are
// ISO 8601 strings). Optional `*Url` fields override the default link; they may be an
// absolute http(s) URL or a path starting with "/" (resolved against appUrl / adminUrl).
// ---------------------------------------------------------------------------------------

export interface ProjectSubmittedData {
  projectName: string;
  projectId: string;
  statusUrl?: string;
  /** The review SLA in words (UTILITY_REVIEW_SLA), e.g. "24 hours"; rows queued before it existed say 24 hours. */
  reviewWithin?: string;
}

export interface TicketsPurchasedData {
  ticketCount: number;
  ticketNumbers: number[];
  roundId: string;
  /** ISO 8601 timestamp of the round's drawing date. */
  drawingDate: string;
  roundUrl?: string;
}

export interface DistributionAvailableData {
  /** YYYY-MM */
  month: string;
  /** Base units as an integer string, e.g. "1500000000". */
  amountBaseUnits: string;
  currency: Currency;
  claimUrl?: string;
}

export interface ReviewReminderData {
  projectId: string;
  projectName: string;
  /** ISO 8601 timestamp of the submission. */
  waitingSince: string;
  adminUrl?: string;
  /** As in ProjectSubmittedData. */
  reviewWithin?: string;
}

export interface ProjectUpdateData {
  projectName: string;
  projectId: string;
  message: string;
  /** 0..100, or null when the update carries no progress figure. */
  progress: number | null;
  status: string;
  statusUrl?: string;
}

export interface ProjectStatusChangedData {
  projectName: string;
  projectId: string;
  status: string;
  previousStatus?: string;
  /** Reviewer's note (reason for a rejection, what information is needed...). */
  note?: string;
  statusUrl?: string;
}

export interface RefundOwedData {
  /** The transaction whose payment could not be accepted. */
  signature: string;
  amountBaseUnits: string;
  currency: Currency;
  reason: string;
}

/** Template name → data type. */
export interface EmailTemplateData {
  projectSubmitted: ProjectSubmittedData;
  ticketsPurchased: TicketsPurchasedData;
  distributionAvailable: DistributionAvailableData;
  reviewReminder: ReviewReminderData;
  projectUpdate: ProjectUpdateData;
  projectStatusChanged: ProjectStatusChangedData;
  refundOwed: RefundOwedData;
}

export const EMAIL_TEMPLATE_NAMES = [
  'projectSubmitted',
  'ticketsPurchased',
  'distributionAvailable',
  'reviewReminder',
  'projectUpdate',
  'projectStatusChanged',
  'refundOwed',
] as const satisfies readonly (keyof EmailTemplateData)[];

export type EmailTemplateName = (typeof EMAIL_TEMPLATE_NAMES)[number];

/** What an outbox row stores: a template name and its data, as JSON. */
export type EmailMessage = {
  [K in EmailTemplateName]: { template: K; data: EmailTemplateData[K] };
}[EmailTemplateName];

export type EmailTemplate<D> = (data: D, context: RenderContext) => RenderedEmail;

/** The default links of the e-mails; exported so pages and tests agree on them. */
export const emailLinks = {
  projectStatus: (appUrl: string, projectId: string) =>
    `${baseUrl(appUrl)}/utility-factory/project/${encodeURIComponent(projectId)}`,
  lotteryRound: (appUrl: string, roundId: string) =>
    `${baseUrl(appUrl)}/lottery/rounds/${encodeURIComponent(roundId)}`,
  revenueClaim: (appUrl: string, month: string) =>
    `${baseUrl(appUrl)}/revenue-pass/claim/${encodeURIComponent(month)}`,
  adminProject: (adminUrl: string, projectId: string) =>
    `${baseUrl(adminUrl)}/projects/${encodeURIComponent(projectId)}`,
} as const;

// ---------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------

export const projectSubmitted: EmailTemplate<ProjectSubmittedData> = (data, context) => {
  const projectName = requireText(data, 'projectName');
  const projectId = requireText(data, 'projectId');
  const statusUrl = link(data.statusUrl, 'statusUrl', site(context), () =>
    emailLinks.projectStatus(site(context), projectId),
  );
  return compose(context, `Project Submission Received - ${projectName}`, [
    h1('Thank you for your submission!'),
    p`Your project "${projectName}" has been received.`,
    {
      text: `Project ID: ${projectId}`,
      html: `<p>Project ID: <strong>${escapeHtml(projectId)}</strong></p>`,
    },
    p`We'll review it within ${reviewWithin(data)} and get back to you.`,
    linkLine('Follow its status at', statusUrl),
  ]);
};

export const ticketsPurchased: EmailTemplate<TicketsPurchasedData> = (data, context) => {
  const ticketCount = requireInteger(data, 'ticketCount', 1);
  const ticketNumbers = requireTicketNumbers(data, ticketCount);
  const roundId = requireText(data, 'roundId');
  const drawing = requireDate(data, 'drawingDate');
  const roundUrl = link(data.roundUrl, 'roundUrl', site(context), () =>
    emailLinks.lotteryRound(site(context), roundId),
  );
  const plural = ticketCount === 1 ? 'Ticket' : 'Tickets';
  return compose(context, `Lottery Tickets Confirmed - ${ticketCount} ${plural}`, [
    h1('Your lottery tickets are confirmed!'),
    p`Ticket numbers: ${formatTicketNumbers(ticketNumbers)}`,
    p`Lottery round: ${roundId}`,
    {
      text: `Drawing date: ${drawing.human}`,
      html: `<p>Drawing date: <time datetime="${escapeHtml(drawing.iso)}">${escapeHtml(drawing.human)}</time></p>`,
    },
    linkLine('Round details and the draw proof:', roundUrl),
    p`Good luck!`,
  ]);
};

export const distributionAvailable: EmailTemplate<DistributionAvailableData> = (data, context) => {
  const month = requireMonth(data, 'month');
  const amount = requireAmount(data);
  const claimUrl = link(data.claimUrl, 'claimUrl', site(context), () =>
    emailLinks.revenueClaim(site(context), month),
  );
  return compose(context, `Revenue Distribution Available - ${month}`, [
    h1('Your revenue share is ready!'),
    p`Distribution for ${month}: ${amount}`,
    linkLine('Claim now at', claimUrl),
  ]);
};

export const reviewReminder: EmailTemplate<ReviewReminderData> = (data, context) => {
  const projectId = requireText(data, 'projectId');
  const projectName = requireText(data, 'projectName');
  const waitingSince = requireDate(data, 'waitingSince');
  const adminBase = context.adminUrl ?? `${baseUrl(context.appUrl)}/admin`;
  const reviewUrl = link(data.adminUrl, 'adminUrl', adminBase, () =>
    emailLinks.adminProject(adminBase, projectId),
  );
  return compose(context, `Review Reminder - ${projectName} is waiting for review`, [
    h1('A project submission is waiting for review'),
    p`Project "${projectName}" (Project ID: ${projectId}) has been waiting for review since ${waitingSince.human}.`,
    p`Submitters were promised a review within ${reviewWithin(data)}.`,
    linkLine('Review it at', reviewUrl),
  ]);
};

export const projectUpdate: EmailTemplate<ProjectUpdateData> = (data, context) => {
  const projectName = requireText(data, 'projectName');
  const projectId = requireText(data, 'projectId');
  const message = requireText(data, 'message', { multiline: true });
  const progress = data.progress === null ? null : requireInteger(data, 'progress', 0, 100);
  const status = statusLabel(requireText(data, 'status'));
  const statusUrl = link(data.statusUrl, 'statusUrl', site(context), () =>
    emailLinks.projectStatus(site(context), projectId),
  );
  return compose(context, `Project Update - ${projectName}`, [
    h1('There is news about your project'),
    p`Your project "${projectName}" (Project ID: ${projectId}) has a new update:`,
    {
      text: message
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n'),
      html: `<blockquote>${escapeHtmlMultiline(message)}</blockquote>`,
    },
    ...(progress === null ? [] : [p`Progress: ${`${progress}%`}`]),
    p`Status: ${status}`,
    linkLine('Follow its status at', statusUrl),
  ]);
};

export const projectStatusChanged: EmailTemplate<ProjectStatusChangedData> = (data, context) => {
  const projectName = requireText(data, 'projectName');
  const projectId = requireText(data, 'projectId');
  const status = statusLabel(requireText(data, 'status'));
  const previous =
    data.previousStatus === undefined ? null : statusLabel(requireText(data, 'previousStatus'));
  const note =
    data.note === undefined || data.note === '' ? null : requireText(data, 'note', { multiline: true });
  const statusUrl = link(data.statusUrl, 'statusUrl', site(context), () =>
    emailLinks.projectStatus(site(context), projectId),
  );
  return compose(context, `Project Status Updated - ${projectName}: ${status}`, [
    h1('Your project status has changed'),
    previous === null
      ? p`Your project "${projectName}" (Project ID: ${projectId}) is now: ${status}.`
      : p`Your project "${projectName}" (Project ID: ${projectId}) changed from ${previous} to: ${status}.`,
    ...(note === null
      ? []
      : [
          {
            text: `Note from our team:\n${note}`,
            html: `<p>Note from our team:</p>\n<blockquote>${escapeHtmlMultiline(note)}</blockquote>`,
          },
        ]),
    linkLine('Follow its status at', statusUrl),
  ]);
};

export const refundOwed: EmailTemplate<RefundOwedData> = (data, context) => {
  const signature = requireSignature(data, 'signature');
  const amount = requireAmount(data);
  const reason = withoutFinalPeriods(requireText(data, 'reason'));
  return compose(context, `Refund Owed - ${amount}`, [
    h1('We owe you a refund'),
    p`We received your payment of ${amount} in transaction ${signature}, but could not accept it: ${reason}.`,
    p`No tickets or other items were issued for this payment. The full amount will be refunded to the wallet that sent it.`,
  ]);
};

/** Every template by name, each typed with its data. */
export const emailTemplates: { readonly [K in EmailTemplateName]: EmailTemplate<EmailTemplateData[K]> } = {
  projectSubmitted,
  ticketsPurchased,
  distributionAvailable,
  reviewReminder,
  projectUpdate,
  projectStatusChanged,
  refundOwed,
};

export const isEmailTemplateName = (value: unknown): value is EmailTemplateName =>
  typeof value === 'string' && (EMAIL_TEMPLATE_NAMES as readonly string[]).includes(value);

export function renderEmail<K extends EmailTemplateName>(
  name: K,
  data: EmailTemplateData[K],
  context: RenderContext,
): RenderedEmail {
  if (!isEmailTemplateName(name)) {
    throw emailError('UnknownEmailTemplate', `unknown e-mail template ${JSON.stringify(name)}`);
  }
  if (typeof data !== 'object' || data === null) {
    throw emailError('EmailDataInvalid', `${name}: data must be an object`);
  }
  const template = emailTemplates[name] as EmailTemplate<EmailTemplateData[K]>;
  return template(data, context);
}

/** Renders an outbox row read back from JSON; the templates validate the data at runtime. */
export const renderStoredEmail = (message: { template: string; data: unknown }, context: RenderContext) =>
  renderEmail(message.template as EmailTemplateName, message.data as never, context);

// ---------------------------------------------------------------------------------------
// Formatting helpers
// ---------------------------------------------------------------------------------------

const MAX_SUBJECT_LENGTH = 200;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "1, 2, 3, 4, 9" → "1–4, 9": a purchase's numbers are consecutive, so long lists stay short. */
export function formatTicketNumbers(numbers: readonly number[]): string {
  const sorted = [...numbers].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const first = sorted[i] ?? 0;
    const last = sorted[j] ?? 0;
    if (j - i >= 2) parts.push(`${first}–${last}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(', ');
}

/** "2026-03-01 18:00 UTC (Sunday, 1 March 2026)": ISO date and time in UTC, then in words. */
function formatUtcDateTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const isoDate = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  const words = `${WEEKDAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  return `${isoDate} ${time} UTC (${words})`;
}

/** The sentence supplies its own full stop. A loop, not /[.\s]+$/, which is quadratic. */
const withoutFinalPeriods = (value: string): string => {
  let end = value.length;
  while (end > 1 && (value[end - 1] === '.' || value[end - 1] === ' ')) end--;
  return value.slice(0, end);
};

/** "pending_review" → "Pending review". */
const statusLabel = (status: string): string => {
  const words = singleLine(status.replace(/[_-]+/g, ' '));
  return words.charAt(0).toUpperCase() + words.slice(1);
};

interface Block {
  text: string;
  html: string;
}

/** A paragraph whose interpolated values are single-line in text and escaped in HTML. */
function p(strings: TemplateStringsArray, ...values: string[]): Block {
  let text = strings[0] ?? '';
  let html = strings[0] ?? '';
  values.forEach((value, i) => {
    const rest = strings[i + 1] ?? '';
    text += singleLine(value) + rest;
    html += escapeHtml(singleLine(value)) + rest;
  });
  return { text, html: `<p>${html}</p>` };
}

const h1 = (title: string): Block => ({ text: title, html: `<h1>${escapeHtml(title)}</h1>` });

const linkLine = (label: string, url: string): Block => ({
  text: `${label} ${url}`,
  html: `<p>${escapeHtml(label)} <a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>`,
});

function compose(context: RenderContext, rawSubject: string, blocks: Block[]): RenderedEmail {
  const siteUrl = baseUrl(site(context));
  let subject = singleLine(rawSubject);
  if (subject.length > MAX_SUBJECT_LENGTH) subject = `${subject.slice(0, MAX_SUBJECT_LENGTH - 1)}…`;
  const text = `${blocks.map((block) => block.text).join('\n\n')}\n\n-- \nStoned Rabbits · ${siteUrl}\n`;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body>',
    ...blocks.map((block) => block.html),
    `<hr>\n<p style="color:#666;font-size:12px">Stoned Rabbits · <a href="${escapeHtml(siteUrl)}">${escapeHtml(siteUrl)}</a></p>`,
    '</body>',
    '</html>',
  ].join('\n');
  return { subject, text, html };
}

// ---------------------------------------------------------------------------------------
// Validation of stored data (it comes back from JSON, so types are checked at runtime)
// ---------------------------------------------------------------------------------------

const invalid = (field: string, problem: string) => emailError('EmailDataInvalid', `${field}: ${problem}`);

function requireText(data: object, field: string, options: { multiline?: boolean } = {}): string {
  const value: unknown = (data as Record<string, unknown>)[field];
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  const cleaned = options.multiline ? normalizeNewlines(value).trim() : singleLine(value);
  if (cleaned === '') throw invalid(field, 'must not be empty');
  return cleaned;
}

/** The review SLA in words; the original promise when a row predates the field. */
function reviewWithin(data: { reviewWithin?: string }): string {
  return data.reviewWithin === undefined ? '24 hours' : requireText(data, 'reviewWithin');
}

function requireInteger(data: object, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value: unknown = (data as Record<string, unknown>)[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(field, `must be an integer ${min}..${max}`);
  }
  return value;
}

function requireTicketNumbers(data: object, ticketCount: number): number[] {
  const value: unknown = (data as Record<string, unknown>).ticketNumbers;
  if (!Array.isArray(value) || !value.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) {
    throw invalid('ticketNumbers', 'must be a list of non-negative integers');
  }
  if (value.length !== ticketCount) {
    throw invalid('ticketNumbers', `has ${value.length} numbers but ticketCount is ${ticketCount}`);
  }
  return value as number[];
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function requireDate(data: object, field: string): { iso: string; human: string } {
  const value: unknown = (data as Record<string, unknown>)[field];
  const millis = typeof value === 'string' && ISO_DATE_TIME.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(millis)) throw invalid(field, 'must be an ISO 8601 date-time with a time zone');
  const date = new Date(millis);
  return { iso: date.toISOString(), human: formatUtcDateTime(date) };
}

function requireMonth(data: object, field: string): string {
  const value: unknown = (data as Record<string, unknown>)[field];
  if (typeof value !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value))
    throw invalid(field, 'must be YYYY-MM');
  return value;
}

/** "1.5 SOL" from `{amountBaseUnits: "1500000000", currency: "SOL"}`. */
function requireAmount(data: object): string {
  const { amountBaseUnits, currency } = data as Record<string, unknown>;
  if (!isCurrency(currency)) throw invalid('currency', 'must be SOL or USDC');
  try {
    return `${formatAmount(parseBaseUnits(amountBaseUnits as string, 'amountBaseUnits'), currency)} ${currency}`;
  } catch (error) {
    throw invalid('amountBaseUnits', error instanceof Error ? error.message : String(error));
  }
}

function requireSignature(data: object, field: string): string {
  const value: unknown = (data as Record<string, unknown>)[field];
  if (typeof value !== 'string' || !/^[1-9A-HJ-NP-Za-km-z]{64,88}$/.test(value)) {
    throw invalid(field, 'must be a base58 transaction signature');
  }
  return value;
}

/** Where holder links point: FRONTEND_URL, else APP_URL. */
const site = (context: RenderContext): string => context.frontendUrl ?? context.appUrl;

/** appUrl without trailing slashes; only absolute http(s) URLs without spaces or quotes. */
function baseUrl(url: string): string {
  if (typeof url !== 'string' || !/^https?:\/\/[^\s"'<>`]+$/i.test(url)) {
    throw emailError('InvalidAppUrl', `app URL must be an absolute http(s) URL, got ${JSON.stringify(url)}`);
  }
  return url.replace(/\/+$/, '');
}

/** An override URL (absolute http(s), or a path resolved against `base`), else the default. */
function link(value: unknown, field: string, base: string, fallback: () => string): string {
  if (value === undefined || value === null || value === '') return fallback();
  if (typeof value === 'string' && /^\/(?!\/)[^\s"'<>`]*$/.test(value)) return `${baseUrl(base)}${value}`;
  if (typeof value === 'string' && /^https?:\/\/[^\s"'<>`]+$/i.test(value)) return value;
  throw invalid(field, 'must be an absolute http(s) URL or a path starting with "/"');
}
