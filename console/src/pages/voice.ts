// Voice synthesis page: pick a voice (language, gender), type, set the speed, synthesize, listen,
// download, or carry the speech over to the create page.
import { api, type Speech, type Voice } from '../api';
import { h, icon, nextId, setChildren } from '../dom';
import { describeError } from '../errors';
import { formatSeconds } from '../format';
import { onLangChange, retext, t, tr, trAttr } from '../i18n';
import { setSpeechPrefill } from '../state';
import { errorNotice, field, fileName, voicePicker, type VoicePicker } from '../ui';

/** The last result survives leaving the page, so coming back still shows it. */
let lastResult: { speech: Speech; text: string; voice: string; voiceName: string; speed: number } | null = null;
let draft = { text: '', speed: 1, voice: '' };

export function voicePage(main: HTMLElement): () => void {
  const pickerSlot = h('div', {}, h('p', { class: 'spinner-line' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), tr('loadingVoices')));
  const text = h('textarea', { class: 'input', rows: 6, maxlength: 2000, name: 'text' });
  text.value = draft.text;
  trAttr(text, 'placeholder', 'textPh');
  const counter = h('span', { class: 'hint counter' }, `${text.value.length} / 2000`);
  const speed = h('input', { type: 'range', min: 0.5, max: 2, step: 0.1, value: draft.speed, class: 'range', id: nextId('speed') });
  const speedOut = h('output', { class: 'range-value', for: speed.id }, `${draft.speed.toFixed(1)}×`);
  const synthLabel = tr('synthesize');
  const synthBtn = h('button', { type: 'submit', class: 'btn btn-primary' }, icon('sparkle', 16), synthLabel);
  const result = h('div', { class: 'voice-result', 'aria-live': 'polite' });
  let picker: VoicePicker | null = null;
  let voiceList: Voice[] = [];
  let busy = false;

  const form = h('form', { class: 'card voice-form', novalidate: true },
    pickerSlot,
    field('text', text, undefined, counter),
    h('div', { class: 'field' }, h('label', { for: speed.id }, tr('speed')), h('div', { class: 'duration-row' }, speed, speedOut)),
    h('div', { class: 'row' }, synthBtn));

  main.append(h('section', { class: 'page page-voice' },
    h('header', { class: 'page-head' }, h('h1', {}, tr('voiceTitle')), h('p', { class: 'lead' }, tr('voiceLead'))),
    h('div', { class: 'voice-grid' }, form, h('div', { class: 'card' }, h('h2', { class: 'card-title' }, tr('result')), result))));

  function renderResult(): void {
    if (!lastResult) {
      setChildren(result, h('div', { class: 'result-empty' }, icon('mic', 36)));
      return;
    }
    const r = lastResult;
    const name = fileName(r.text.slice(0, 30), 'wav');
    setChildren(result,
      h('audio', { controls: true, src: r.speech.audioUrl, preload: 'auto', class: 'audio' }),
      h('p', { class: 'muted' }, formatSeconds(r.speech.durationSeconds), ' · ', r.voiceName, ' · ', `${r.speed.toFixed(1)}×`),
      h('blockquote', { class: 'quote' }, r.text),
      h('div', { class: 'actions' },
        h('a', { class: 'btn btn-ghost', href: r.speech.audioUrl, download: name }, icon('download', 16), tr('download')),
        h('button', { type: 'button', class: 'btn btn-primary', onclick: () => {
          setSpeechPrefill({ text: r.text, voice: r.voice, speed: r.speed, audioUrl: r.speech.audioUrl, durationSeconds: r.speech.durationSeconds });
          location.hash = '#/create';
        } }, icon('video', 16), tr('useForVideo'))));
  }

  async function load(): Promise<void> {
    let voices: Voice[];
    try {
      voices = await api.voices();
    } catch (err) {
      const d = describeError(err);
      setChildren(pickerSlot, errorNotice(d.plain, d.detail, d.code));
      return;
    }
    voiceList = voices;
    picker = voicePicker(voices, { genderFilter: true });
    if (draft.voice) picker.setValue(draft.voice);
    picker.onChange(() => { draft.voice = picker!.value(); });
    setChildren(pickerSlot, picker.el);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy || !picker) return;
    const value = text.value.trim();
    if (!value) { text.focus(); return; }
    busy = true;
    synthBtn.disabled = true;
    retext(synthLabel, 'synthesizing');
    try {
      const voice = picker.value();
      const sp = Number(speed.value);
      const speech = await api.synthesize(value, voice, sp);
      lastResult = { speech, text: value, voice, voiceName: voiceList.find((v) => v.id === voice)?.name ?? voice, speed: sp };
      renderResult();
    } catch (err) {
      const d = describeError(err);
      setChildren(result, errorNotice(d.plain, d.detail, d.code));
    } finally {
      busy = false;
      synthBtn.disabled = false;
      retext(synthLabel, 'synthesize');
    }
  });
  text.addEventListener('input', () => { draft.text = text.value; counter.textContent = `${text.value.length} / 2000`; });
  speed.addEventListener('input', () => { draft.speed = Number(speed.value); speedOut.textContent = `${draft.speed.toFixed(1)}×`; });
  renderResult();
  void load();
  const unsub = onLangChange(() => renderResult());
  return () => { unsub(); picker?.dispose(); result.querySelector('audio')?.pause(); draft = { ...draft, voice: picker?.value() ?? draft.voice }; void t; };
}
