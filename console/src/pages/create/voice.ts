// Step 3, the voice: upload a recording, or write a text and have it spoken (text to speech).
// Either way, audio of known length presets the video's duration.
import { api, type Voice } from '../../api';
import { h, icon, nextId, setChildren } from '../../dom';
import { describeError } from '../../errors';
import { formatBytes, formatSeconds } from '../../format';
import { retext, t, tr, trAttr } from '../../i18n';
import type { SpeechPrefill } from '../../state';
import { errorNotice, field, notice, voicePicker, type VoicePicker } from '../../ui';
import { audioSeconds, type AudioState, type CreateState, type SpeechState } from './state';
import { acceptDrops, dropZone, keyClick, spinnerLine } from './widgets';

export interface VoiceSection {
  /** The step's content: upload / text tabs and their panels (filled by `mount`). */
  body(): Node[];
  /** Fills the panels and shows the empty chooser; called once the form is assembled. */
  mount(): void;
  /** The text to speak, trimmed. */
  text(): string;
  voiceChosen(): boolean;
  /** The last synthesized speech matches the text, voice and speed now entered. */
  speechIsFresh(): boolean;
  synthesize(): Promise<SpeechState | null>;
  setMode(m: 'upload' | 'text'): void;
  prefill(p: SpeechPrefill): void;
  /** Re-renders what is not made of translated spans after a language change. */
  retranslate(): void;
}

export function voiceSection(state: CreateState): VoiceSection {
  let voices: Voice[] | null = null;
  let picker: VoicePicker | null = null;
  let gen = 0;

  const audioInput = h('input', { type: 'file', accept: 'audio/*,.wav,.mp3,.m4a,.aac,.ogg,.flac', class: 'visually-hidden', id: nextId('audio'), tabindex: -1 });
  const audioBox = h('div', { class: 'media-box' });
  const audioStatus = h('div', { class: 'media-status', 'aria-live': 'polite' });
  const textArea = h('textarea', { class: 'input', rows: 4, maxlength: 2000, name: 'text' });
  trAttr(textArea, 'placeholder', 'textPh');
  const speedInput = h('input', { type: 'range', min: 0.5, max: 2, step: 0.1, value: 1, class: 'range' });
  const speedOut = h('output', { class: 'range-value' }, '1.0×');
  const voiceSlot = h('div', { class: 'voice-slot' }, h('p', { class: 'muted' }, tr('loadingVoices')));
  const synthBtn = h('button', { type: 'button', class: 'btn btn-secondary' }, icon('sparkle', 16), tr('synthesize'));
  const speechBox = h('div', { class: 'speech-result', 'aria-live': 'polite' });
  const tabUpload = h('input', { type: 'radio', name: 'voice-mode', value: 'upload', checked: true, id: nextId('mode') });
  const tabText = h('input', { type: 'radio', name: 'voice-mode', value: 'text', id: nextId('mode') });
  const uploadPanel = h('div', { class: 'mode-panel' });
  const textPanel = h('div', { class: 'mode-panel', hidden: true });

  const changed = () => state.emit('change');

  // ---------- upload
  function renderAudio(): void {
    const audio = state.audio;
    if (!audio || audio.phase === 'error') {
      setChildren(audioBox, dropZone(audioInput, 'music', 'audioDrop', 'audioDropHint'));
      if (audio) { const d = describeError(audio.error); setChildren(audioStatus, errorNotice(`${audio.file.name}: ${d.plain}`, d.detail, d.code)); }
      else setChildren(audioStatus);
      return;
    }
    const player = h('audio', { controls: true, src: audio.localUrl, preload: 'metadata', class: 'audio' });
    player.addEventListener('loadedmetadata', () => {
      if (audio !== state.audio || !Number.isFinite(player.duration) || audio.seconds !== undefined) return;
      audio.seconds = player.duration;
      state.emit('audioLength', player.duration);
      renderAudioMeta();
      changed();
    });
    setChildren(audioBox, player, h('div', { class: 'media-meta audio-meta' }));
    renderAudioMeta();
    if (audio.phase === 'uploading') setChildren(audioStatus, spinnerLine('uploading'));
    else setChildren(audioStatus);
  }

  function renderAudioMeta(): void {
    const meta = audioBox.querySelector('.audio-meta');
    const audio = state.audio;
    if (!meta || !audio) return;
    setChildren(meta,
      h('span', { class: 'file-name' }, icon('music', 16), audio.file.name),
      h('span', { class: 'muted' }, audio.seconds !== undefined ? t('audioLength', { s: formatSeconds(audio.seconds) }) : '', audio.seconds !== undefined ? ' · ' : '', formatBytes(audio.file.size)),
      h('label', { class: 'btn btn-ghost btn-sm', for: audioInput.id, tabindex: 0, role: 'button', onkeydown: keyClick(audioInput) }, tr('audioChange')));
  }

  async function chooseAudio(file: File): Promise<void> {
    const g = ++gen;
    if (state.audio) URL.revokeObjectURL(state.audio.localUrl);
    const cur: AudioState = { file, localUrl: URL.createObjectURL(file), phase: 'uploading' };
    state.audio = cur;
    renderAudio();
    changed();
    try {
      const up = await api.upload(file, file.name);
      if (g !== gen) return;
      cur.url = up.url;
      cur.phase = 'ready';
    } catch (err) {
      if (g !== gen) return;
      cur.error = err;
      cur.phase = 'error';
    }
    renderAudio();
    changed();
  }

  // ---------- text to speech
  async function ensureVoices(): Promise<void> {
    if (voices) return;
    try {
      voices = await api.voices();
      picker = voicePicker(voices);
      picker.onChange(markSpeechStale);
      setChildren(voiceSlot, picker.el);
    } catch (err) {
      const d = describeError(err);
      setChildren(voiceSlot, errorNotice(d.plain, d.detail, d.code), h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onclick: () => { voices = null; void ensureVoices(); } }, tr('retry')));
    }
  }

  function speechIsFresh(): boolean {
    const speech = state.speech;
    return !!speech && !!picker && speech.text === textArea.value.trim() && speech.voice === picker.value() && speech.speed === Number(speedInput.value);
  }

  function markSpeechStale(): void {
    const stale = speechBox.querySelector('.stale');
    if (state.speech && !speechIsFresh()) { if (!stale) speechBox.append(h('p', { class: 'hint stale' }, tr('resynthNeeded'))); }
    else stale?.remove();
    changed();
  }

  function renderSpeech(): void {
    const speech = state.speech;
    if (!speech) { setChildren(speechBox); return; }
    setChildren(speechBox,
      h('audio', { controls: true, src: speech.audioUrl, preload: 'metadata', class: 'audio' }),
      h('p', { class: 'hint' }, icon('check', 14), ' ', t('synthesized', { s: formatSeconds(speech.durationSeconds) })));
    markSpeechStale();
  }

  async function synthesize(): Promise<SpeechState | null> {
    const text = textArea.value.trim();
    if (!text || !picker?.value()) return null;
    synthBtn.disabled = true;
    const label = synthBtn.querySelector('span[data-i18n]')!;
    retext(label, 'synthesizing');
    try {
      const voice = picker.value();
      const speed = Number(speedInput.value);
      const r = await api.synthesize(text, voice, speed);
      const speech = state.speech = { text, voice, speed, audioUrl: r.audioUrl, durationSeconds: r.durationSeconds };
      state.emit('audioLength', r.durationSeconds);
      renderSpeech();
      return speech;
    } catch (err) {
      const d = describeError(err);
      setChildren(speechBox, errorNotice(d.plain, d.detail, d.code));
      return null;
    } finally {
      synthBtn.disabled = false;
      retext(label, 'synthesize');
      changed();
    }
  }

  function setMode(m: 'upload' | 'text'): void {
    state.mode = m;
    tabUpload.checked = m === 'upload';
    tabText.checked = m === 'text';
    uploadPanel.hidden = m !== 'upload';
    textPanel.hidden = m !== 'text';
    if (m === 'text') void ensureVoices();
    const secs = audioSeconds(state);
    if (secs !== undefined) state.emit('audioLength', secs);
    changed();
  }

  audioInput.addEventListener('change', () => { const f = audioInput.files?.[0]; if (f) void chooseAudio(f); audioInput.value = ''; });
  acceptDrops(audioBox, chooseAudio);
  tabUpload.addEventListener('change', () => setMode('upload'));
  tabText.addEventListener('change', () => setMode('text'));
  speedInput.addEventListener('input', () => { speedOut.textContent = `${Number(speedInput.value).toFixed(1)}×`; markSpeechStale(); });
  textArea.addEventListener('input', markSpeechStale);
  synthBtn.addEventListener('click', () => void synthesize());

  return {
    body: () => [
      h('div', { class: 'segmented', role: 'radiogroup' },
        h('label', { for: tabUpload.id }, tabUpload, icon('upload', 16), tr('audioUploadTab')),
        h('label', { for: tabText.id }, tabText, icon('sparkle', 16), tr('audioTextTab'))),
      uploadPanel, textPanel,
    ],
    mount() {
      setChildren(uploadPanel, audioInput, audioBox, audioStatus);
      setChildren(textPanel,
        field('text', textArea),
        voiceSlot,
        h('div', { class: 'field' }, h('label', { for: speedInput.id || (speedInput.id = nextId('speed')) }, tr('speed')), h('div', { class: 'duration-row' }, speedInput, speedOut)),
        h('div', { class: 'row' }, synthBtn),
        speechBox);
      renderAudio();
    },
    text: () => textArea.value.trim(),
    voiceChosen: () => !!picker?.value(),
    speechIsFresh,
    synthesize,
    setMode,
    prefill(p) {
      setMode('text');
      textArea.value = p.text;
      speedInput.value = String(p.speed);
      speedOut.textContent = `${p.speed.toFixed(1)}×`;
      state.speech = { ...p };
      void ensureVoices().then(() => {
        picker?.setValue(p.voice);
        renderSpeech();
        state.emit('audioLength', p.durationSeconds);
      });
      setChildren(speechBox, notice('info', h('p', {}, t('prefilled'))));
    },
    retranslate() {
      if (state.audio) renderAudioMeta();
      if (state.speech) renderSpeech();
    },
  };
}
