// Numbers and dates for display.
import { locale, t } from './i18n';

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '–';
  if (s < 60) return t('secondsShort', { s: s.toFixed(1).replace(/\.0$/, '') });
  return t('minSec', { m: Math.floor(s / 60), s: Math.round(s % 60) });
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  return d.toLocaleString(locale(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const DAY = 86_400_000;

/** Whole days left before `expiresAt` (0 = expires within a day), or null when not set. */
export function daysLeft(expiresAt: string | null | undefined, now = Date.now()): number | null {
  if (!expiresAt) return null;
  const ms = new Date(expiresAt).getTime() - now;
  if (Number.isNaN(ms)) return null;
  return Math.max(0, Math.floor(ms / DAY));
}

export function daysLeftText(n: number): string {
  if (n <= 0) return t('lessThanDay');
  if (n === 1) return t('dayLeft');
  return t('daysLeft', { n });
}

/** Duration preset from an audio length: rounded up to a tenth of a second, within 1-180 s. */
export function presetDuration(audioSeconds: number): number {
  if (!Number.isFinite(audioSeconds) || audioSeconds <= 0) return 10;
  return Math.min(180, Math.max(1, Math.ceil(audioSeconds * 10 - 1e-6) / 10));
}
