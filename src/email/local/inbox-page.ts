/**
 * The local mail sink's inbox page (`GET /` on the sink, printed by `npm start`): every
 * received message, newest first, with its text part and its HTML part. The HTML is shown in
 * a sandboxed iframe (no scripts, no same-origin), so an e-mail cannot act on the page.
 */
import type { SinkMessage } from './sink';

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function messageSection(m: SinkMessage): string {
  return [
    '<section>',
    `<h2>${escapeHtml(m.subject)}</h2>`,
    `<p class="meta">to ${escapeHtml(m.to.join(', '))} · from ${escapeHtml(m.from)} · ${m.receivedAt.toISOString()} · ${escapeHtml(m.messageId)}</p>`,
    m.html === null ? '' : `<iframe sandbox title="HTML part" srcdoc="${escapeHtml(m.html)}"></iframe>`,
    m.text === null ? '' : `<pre>${escapeHtml(m.text)}</pre>`,
    '</section>',
  ].join('\n');
}

export function renderInboxPage(messages: SinkMessage[]): string {
  const list = [...messages].reverse();
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Local mail sink</title>',
    '<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto}section{border-top:1px solid #ccc;padding:.5rem 0}',
    '.meta{color:#666;font-size:.85rem}iframe{width:100%;height:18rem;border:1px solid #ddd}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}</style>',
    '</head><body>',
    `<h1>Local mail sink: ${list.length} message${list.length === 1 ? '' : 's'}</h1>`,
    '<p>E-mails the API and worker sent in development (JSON: <a href="/sink/messages">/sink/messages</a>). Kept in memory until the sink stops.</p>',
    ...list.map(messageSection),
    '</body></html>',
  ].join('\n');
}
