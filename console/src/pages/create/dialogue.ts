// A dialogue, for a portrait with several faces: each numbered face gets its own speech (an
// uploaded recording, or text and a voice), sent as param.speakers. All parts start together;
// a part left empty listens. Shown inside the voice step when the face check found two or more.
import { api, type Voice } from '../../api';
import { h, nextId, setChildren } from '../../dom';
import { describeError } from '../../errors';
import { formatSeconds } from '../../format';
import { t, tr, trAttr } from '../../i18n';
import { errorNotice } from '../../ui';
import { audioSeconds, type AudioState, type CreateState, type SpeakerPart } from './state';

export interface DialogueSection {
  readonly el: HTMLElement;
  /** Follows the portrait: offered only while its face check found several faces. */
  render(): void;
}

export function dialogueSection(state: CreateState, single: HTMLElement): DialogueSection {
  const toggle = h('input', { type: 'checkbox', id: nextId('dialogue'), class: 'dialogue-toggle' });
  const rows = h('div', { class: 'dialogue-parts' });
  const el = h('div', { class: 'dialogue', hidden: true },
    h('label', { class: 'switch-row', for: toggle.id }, toggle, tr('dialogueToggle')),
    rows);
  let voices: Voice[] | null = null;
  let faceCount = 0;

  const changed = () => {
    const secs = audioSeconds(state);
    if (secs !== undefined) state.emit('audioLength', secs);
    state.emit('change');
  };

  async function upload(part: SpeakerPart, file: File, status: HTMLElement): Promise<void> {
    const cur: AudioState = { file, localUrl: URL.createObjectURL(file), phase: 'uploading' };
    part.audio = cur;
    setChildren(status, t('uploading'));
    changed();
    const probe = new Audio(cur.localUrl);
    probe.addEventListener('loadedmetadata', () => { if (Number.isFinite(probe.duration)) { cur.seconds = probe.duration; showAudio(part, status); changed(); } });
    try {
      cur.url = (await api.upload(file, file.name)).url;
      cur.phase = 'ready';
      showAudio(part, status);
    } catch (err) {
      cur.phase = 'error';
      cur.error = err;
      const d = describeError(err);
      setChildren(status, errorNotice(`${file.name}: ${d.plain}`, d.detail, d.code));
    }
    changed();
  }

  function showAudio(part: SpeakerPart, status: HTMLElement): void {
    const a = part.audio;
    if (!a || a.phase === 'error') return;
    setChildren(status, `${a.file.name}${a.seconds !== undefined ? ` · ${formatSeconds(a.seconds)}` : ''}${a.phase === 'uploading' ? ` · ${t('uploading')}` : ''}`);
  }

  function partRow(part: SpeakerPart): HTMLElement {
    const file = h('input', { type: 'file', accept: 'audio/*,.wav,.mp3,.m4a,.aac,.ogg,.flac', class: 'part-audio', id: nextId('part') });
    const status = h('span', { class: 'muted part-status', 'aria-live': 'polite' });
    const text = h('input', { type: 'text', class: 'input part-text', maxlength: 2000 });
    trAttr(text, 'placeholder', 'dialoguePartText');
    const voice = h('select', { class: 'input part-voice' }, h('option', { value: '' }, t('dialoguePartVoice')),
      ...(voices ?? []).map((v) => h('option', { value: v.id }, `${v.name} (${v.language})`)));
    file.addEventListener('change', () => { const f = file.files?.[0]; if (f) void upload(part, f, status); });
    text.addEventListener('input', () => { part.text = text.value; changed(); });
    voice.addEventListener('change', () => { part.voice = voice.value; changed(); });
    text.value = part.text;
    voice.value = part.voice;
    showAudio(part, status);
    return h('fieldset', { class: 'dialogue-part' },
      h('legend', {}, t('dialogueFace', { n: part.face })),
      h('label', { for: file.id, class: 'part-label' }, tr('dialoguePartAudio')), file, status,
      h('div', { class: 'part-or' }, tr('dialoguePartOr')), text, voice);
  }

  async function switchOn(on: boolean): Promise<void> {
    state.parts = on ? Array.from({ length: faceCount }, (_, face) => ({ face, audio: null, text: '', voice: '' })) : null;
    single.hidden = on;
    if (on && !voices) voices = await api.voices().catch(() => []);
    setChildren(rows, ...(state.parts ?? []).map(partRow));
    changed();
  }

  toggle.addEventListener('change', () => void switchOn(toggle.checked));

  return {
    el,
    render() {
      const faces = state.image?.phase === 'ready' && state.image.face?.found ? state.image.face.faces.length : 0;
      el.hidden = faces < 2;
      if (faces !== faceCount) {
        faceCount = faces;
        if (state.parts) { toggle.checked = false; void switchOn(false); }
      }
    },
  };
}
