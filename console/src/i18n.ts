// Chinese and English text. Elements built with `tr`/`trAttr` carry their key and are updated in
// place when the language changes, so switching never resets a half-filled form.

import { en, type MsgKey } from './i18n/en';
import { zh } from './i18n/zh';

export type Lang = 'en' | 'zh';
export type { MsgKey };
type Vars = Record<string, string | number>;

const DICTS: Record<Lang, Record<MsgKey, string>> = { en, zh };
const STORAGE_KEY = 'dh.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let lang: Lang = initialLang();
const listeners = new Set<() => void>();

export const getLang = (): Lang => lang;

export function t(key: MsgKey, vars: Vars = {}): string {
  return DICTS[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** A text node-holding span that follows the language. */
export function tr(key: MsgKey, vars?: Vars): HTMLSpanElement {
  const span = document.createElement('span');
  bind(span, 'text', key, vars);
  return span;
}

/** Sets an attribute (placeholder, aria-label, title) from a key and keeps it translated. */
export function trAttr<E extends Element>(el: E, attr: string, key: MsgKey, vars?: Vars): E {
  bind(el, attr, key, vars);
  return el;
}

/** Changes what a translated element says. */
export function retext(el: Element, key: MsgKey, vars?: Vars): void {
  bind(el, 'text', key, vars);
}

function bind(el: Element, attr: string, key: MsgKey, vars?: Vars): void {
  const data = el as Element & { __i18n?: Record<string, [MsgKey, Vars | undefined]> };
  data.__i18n ??= {};
  data.__i18n[attr] = [key, vars];
  el.setAttribute('data-i18n', '');
  render(el, attr, key, vars);
}

function render(el: Element, attr: string, key: MsgKey, vars?: Vars): void {
  if (attr === 'text') el.textContent = t(key, vars);
  else el.setAttribute(attr, t(key, vars));
}

function applyAll(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('brand');
  refreshI18n(document);
}

/**
 * Brings the bound texts under `root` up to the current language. Pages kept while away (the
 * create page) missed the switch; the router calls this when it puts them back.
 */
export function refreshI18n(root: ParentNode): void {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const map = (el as Element & { __i18n?: Record<string, [MsgKey, Vars | undefined]> }).__i18n;
    if (map) for (const [attr, [key, vars]] of Object.entries(map)) render(el, attr, key, vars);
    else if (el.getAttribute('data-i18n')) el.textContent = t(el.getAttribute('data-i18n') as MsgKey);
  }
}

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(STORAGE_KEY, next);
  applyAll();
  for (const fn of listeners) fn();
}

/** Called after every language change (for text that is rebuilt rather than bound). */
export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function initI18n(): void {
  applyAll();
}

/** Locale for dates and numbers. */
export const locale = (): string => (lang === 'zh' ? 'zh-CN' : 'en-GB');
