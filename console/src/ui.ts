// Shared pieces of the interface: fields, badges, progress bars, dialogs, notices.
import type { TaskStatus, Voice } from './api';
import { h, icon, nextId } from './dom';
import { getLang, locale, onLangChange, t, tr, trAttr, type MsgKey } from './i18n';

/** A labelled control: the label is tied to the input, the hint is its description. */
export function field(labelKey: MsgKey, control: HTMLElement, hintKey?: MsgKey, extra?: Node): HTMLDivElement {
  const id = control.id || nextId('f');
  control.id = id;
  const hint = hintKey ? h('p', { class: 'hint', id: `${id}-hint` }, tr(hintKey)) : null;
  if (hint) control.setAttribute('aria-describedby', hint.id);
  return h('div', { class: 'field' }, h('label', { for: id }, tr(labelKey)), control, extra, hint);
}

export function statusBadge(status: TaskStatus): HTMLSpanElement {
  return h('span', { class: `badge badge-${status}` }, h('span', { class: 'dot', 'aria-hidden': 'true' }), tr(`status_${status}` as MsgKey));
}

export function progressBar(value: number, labelKey: MsgKey = 'progress'): HTMLDivElement {
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 }, h('div', { class: 'progress-fill' }));
  trAttr(bar, 'aria-label', labelKey);
  setProgress(bar, value);
  return bar;
}

export function setProgress(bar: HTMLElement, value: number): void {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  bar.setAttribute('aria-valuenow', String(v));
  (bar.firstElementChild as HTMLElement).style.width = `${v}%`;
}

/** A message area read out by screen readers when it changes. */
export function notice(kind: 'error' | 'info' | 'ok' | 'warn', ...content: (Node | string)[]): HTMLDivElement {
  const el = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    icon(kind === 'ok' ? 'check' : kind === 'info' ? 'sparkle' : 'alert', 18), h('div', { class: 'notice-body' }, ...content));
  return el;
}

/** Plain reason with the service's exact message folded away beneath it. */
export function errorNotice(plain: string, detail: string | null, code?: number | null): HTMLDivElement {
  const parts: Node[] = [h('p', { class: 'notice-title' }, plain)];
  if (detail) {
    parts.push(h('details', { class: 'tech' }, h('summary', {}, tr('technical'), code && code > 0 ? ` · ${code}` : ''), h('p', {}, detail)));
  }
  return notice('error', ...parts);
}

let toastRegion: HTMLElement | null = null;
export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  toastRegion ??= document.body.appendChild(h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' }));
  const el = h('div', { class: `toast toast-${kind}` }, icon(kind === 'ok' ? 'check' : 'alert', 16), message);
  toastRegion.append(el);
  setTimeout(() => el.remove(), 4000);
}

/** A modal dialog (native <dialog>: focus is trapped and Escape closes it). */
export function openDialog(build: (close: (value?: string) => void) => { title: Node; body: (Node | string)[]; actions?: (Node | string)[] }, opts: { wide?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: `dialog${opts.wide ? ' dialog-wide' : ''}` });
    const close = (value = '') => { dialog.close(value); };
    const { title, body, actions } = build(close);
    const titleId = nextId('dlg');
    dialog.setAttribute('aria-labelledby', titleId);
    const closeBtn = h('button', { type: 'button', class: 'icon-btn dialog-x', onclick: () => close('') }, icon('x'));
    trAttr(closeBtn, 'aria-label', 'close');
    dialog.append(
      h('div', { class: 'dialog-head' }, h('h2', { id: titleId }, title), closeBtn),
      h('div', { class: 'dialog-body' }, ...body),
      actions ? h('div', { class: 'dialog-actions' }, ...actions) : '',
    );
    dialog.addEventListener('close', () => {
      dialog.querySelectorAll('video,audio').forEach((m) => (m as HTMLMediaElement).pause());
      dialog.remove();
      resolve(dialog.returnValue);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

export async function confirmDialog(titleKey: MsgKey, text: string, confirmKey: MsgKey): Promise<boolean> {
  const v = await openDialog((close) => ({
    title: tr(titleKey),
    body: [h('p', {}, text)],
    actions: [
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => close('') }, tr('cancel')),
      h('button', { type: 'button', class: 'btn btn-danger', onclick: () => close('yes') }, icon('trash', 16), tr(confirmKey)),
    ],
  }));
  return v === 'yes';
}

export function videoDialog(url: string, title: string, downloadName: string): void {
  void openDialog(() => ({
    title: document.createTextNode(title),
    body: [h('video', { class: 'player', src: url, controls: true, autoplay: true, playsinline: true, preload: 'metadata' })],
    actions: [h('a', { class: 'btn btn-ghost', href: url, download: downloadName }, icon('download', 16), tr('download'))],
  }), { wide: true });
}

/** A file name safe for the download attribute. */
export function fileName(name: string, ext: string): string {
  const base = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim().slice(0, 80) || 'video';
  return `${base}.${ext}`;
}

export function languageName(tag: string): string {
  try {
    const names = new Intl.DisplayNames([locale()], { type: 'language' });
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

export interface VoicePicker {
  readonly el: HTMLElement;
  value(): string;
  setValue(id: string): void;
  onChange(fn: () => void): void;
  /** Stops following language changes. */
  dispose(): void;
}

/**
 * Language and voice selects (plus an optional gender filter). Voices of the interface language
 * come first; the default is a voice in it.
 */
export function voicePicker(voices: Voice[], opts: { genderFilter?: boolean } = {}): VoicePicker {
  const langSel = h('select', { class: 'input' });
  const genderSel = h('select', { class: 'input' });
  const voiceSel = h('select', { class: 'input', name: 'voice' });
  const count = h('p', { class: 'hint' });
  const listeners: (() => void)[] = [];
  const langs = [...new Set(voices.map((v) => v.language))];
  const uiFirst = (tag: string) => (tag.toLowerCase().startsWith(getLang() === 'zh' ? 'cmn' : 'en') || (getLang() === 'zh' && tag.toLowerCase().startsWith('zh')) ? 0 : 1);

  const fillLangs = () => {
    const cur = langSel.value;
    const sorted = [...langs].sort((a, b) => uiFirst(a) - uiFirst(b) || languageName(a).localeCompare(languageName(b), locale()));
    langSel.replaceChildren(h('option', { value: '' }, t('allLanguages')), ...sorted.map((l) => h('option', { value: l }, `${languageName(l)} (${l})`)));
    langSel.value = cur;
  };
  const fillGenders = () => {
    const cur = genderSel.value;
    genderSel.replaceChildren(h('option', { value: '' }, t('anyGender')), ...(['female', 'male', 'unknown'] as const).map((g) => h('option', { value: g }, t(`gender_${g}`))));
    genderSel.value = cur;
  };
  const fillVoices = () => {
    const cur = voiceSel.value;
    const shown = voices.filter((v) => (!langSel.value || v.language === langSel.value) && (!genderSel.value || v.gender === genderSel.value));
    voiceSel.replaceChildren(...shown.map((v) => h('option', { value: v.id }, `${v.name} · ${t(`gender_${v.gender}` as MsgKey)} · ${v.language}`)));
    if (shown.some((v) => v.id === cur)) voiceSel.value = cur;
    voiceSel.disabled = shown.length === 0;
    count.textContent = shown.length ? t('voicesCount', { n: shown.length }) : t('noVoices');
  };
  const fire = () => listeners.forEach((fn) => fn());
  langSel.addEventListener('change', () => { fillVoices(); fire(); });
  genderSel.addEventListener('change', () => { fillVoices(); fire(); });
  voiceSel.addEventListener('change', fire);
  fillLangs();
  fillGenders();
  const preferred = voices.find((v) => uiFirst(v.language) === 0);
  if (preferred) langSel.value = preferred.language;
  fillVoices();
  const unsub = onLangChange(() => { fillLangs(); fillGenders(); fillVoices(); });
  const el = h('div', { class: `voice-picker${opts.genderFilter ? ' with-gender' : ''}` },
    field('voiceLanguage', langSel),
    opts.genderFilter ? field('gender', genderSel) : '',
    field('voice', voiceSel, undefined, count),
  );
  return {
    dispose: unsub,
    el,
    value: () => voiceSel.value,
    setValue(id: string) {
      const v = voices.find((x) => x.id === id);
      if (!v) return;
      langSel.value = v.language;
      genderSel.value = '';
      fillVoices();
      voiceSel.value = id;
    },
    onChange: (fn) => listeners.push(fn),
  };
}
