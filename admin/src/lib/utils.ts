import { clsx, type ClassValue } from 'clsx';
import { twMerge } from 'tailwind-merge';

export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}

/** "9xQe…VFin": enough of a base58 key or signature to recognise it. */
export const shortKey = (key: string | null | undefined, chars = 4) =>
  !key ? '—' : key.length <= chars * 2 + 1 ? key : `${key.slice(0, chars)}…${key.slice(-chars)}`;

const dateTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** An ISO time as "25 Nov 2026, 14:05 UTC"; null → "—". */
export const formatTime = (iso: string | null | undefined) =>
  iso ? `${dateTime.format(new Date(iso))} UTC` : '—';
