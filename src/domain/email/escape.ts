/**
 * Escaping for e-mail templates. Every interpolated value goes through `escapeHtml` in the
 * HTML part (text and attribute positions alike, since quotes are escaped too), and through
 * `singleLine` wherever a newline would change the meaning (subjects, one-line fields).
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (value: string): string =>
  String(value).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);

/**
 * Collapses line breaks (CR, LF, NEL, LINE/PARAGRAPH SEPARATOR) and other control characters
 * to single spaces and trims: a header such as Subject can never be split or injected into.
 */
export const singleLine = (value: string): string =>
  String(value)
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();

/** Escaped HTML with the value's line breaks kept as `<br>`. */
export const escapeHtmlMultiline = (value: string): string =>
  normalizeNewlines(value).split('\n').map(escapeHtml).join('<br>\n');

/** CRLF and lone CR to LF, other control characters (except tab) removed. */
export const normalizeNewlines = (value: string): string =>
  String(value)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u2028\u2029\u0085]/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
