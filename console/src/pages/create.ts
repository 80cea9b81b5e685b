// Create page: name, portrait (with the service's face check), voice (upload or text to speech),
// duration, frame, prompt and watermark; confirm creates the task and opens its detail.
import { api, type CreateParam, type FaceCheck, type FrameLayout, type Voice } from '../api';
import { h, icon, nextId, setChildren } from '../dom';
import { describeError } from '../errors';
import { formatBytes, formatSeconds, presetDuration } from '../format';
import { onLangChange, retext, t, tr, trAttr, type MsgKey } from '../i18n';
import { takeSpeechPrefill, type SpeechPrefill } from '../state';
import { errorNotice, field, notice, voicePicker, type VoicePicker } from '../ui';

interface ImageState {
  readonly file: File;
  readonly localUrl: string;
  width: number;
  height: number;
  phase: 'uploading' | 'checking' | 'ready' | 'error';
  url?: string;
  face?: FaceCheck;
  /** The face check could not run (the image itself is fine). */
  faceError?: unknown;
  error?: unknown;
}

interface AudioState {
  readonly file: File;
  readonly localUrl: string;
  seconds?: number;
  phase: 'uploading' | 'ready' | 'error';
  url?: string;
  error?: unknown;
}

interface SpeechState extends SpeechPrefill {}

const MAX_DURATION = 180;

/** The page is built once and kept, so leaving it and coming back keeps what was entered. */
let cached: { el: HTMLElement; prefill(p: SpeechPrefill): void } | null = null;

export function createPage(main: HTMLElement): () => void {
  cached ??= buildCreatePage(() => { cached = null; });
  main.append(cached.el);
  const p = takeSpeechPrefill();
  if (p) cached.prefill(p);
  return () => cached?.el.querySelectorAll('audio').forEach((a) => a.pause());
}

function buildCreatePage(reset: () => void): { el: HTMLElement; prefill(p: SpeechPrefill): void } {
  let image: ImageState | null = null;
  let audio: AudioState | null = null;
  let speech: SpeechState | null = null;
  let mode: 'upload' | 'text' = 'upload';
  let voices: Voice[] | null = null;
  let picker: VoicePicker | null = null;
  let submitted = false;
  let busy = false;
  let imageGen = 0;
  let audioGen = 0;

  // ---- 1. name
  const nameInput = h('input', { class: 'input', name: 'videoName', maxlength: 100, autocomplete: 'off', required: true });
  trAttr(nameInput, 'placeholder', 'taskNamePh');

  // ---- 2. portrait
  // The file inputs are opened through their drop-zone labels, which are the tab stops.
  const imageInput = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp,image/*', class: 'visually-hidden', id: nextId('image'), tabindex: -1 });
  const imageBox = h('div', { class: 'media-box' });
  const imageStatus = h('div', { class: 'media-status', 'aria-live': 'polite' });
  const useAnyway = h('input', { type: 'checkbox', id: nextId('anyway') });
  const useAnywayRow = h('label', { class: 'check', for: useAnyway.id, hidden: true }, useAnyway, tr('useAnyway'));

  // ---- 3. voice
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

  // ---- 4. settings
  const durRange = h('input', { type: 'range', min: 1, max: MAX_DURATION, step: 0.1, value: 10, class: 'range', id: nextId('dur-range') });
  const durNumber = h('input', { type: 'number', min: 1, max: MAX_DURATION, step: 0.1, value: 10, class: 'input input-num', name: 'duration', inputmode: 'decimal' });
  const durAudioNote = h('span', { class: 'hint' });
  const resizeAdaptive = h('input', { type: 'radio', name: 'resizeMode', value: 'adaptive', checked: true, id: nextId('rm') });
  const resizeFixed = h('input', { type: 'radio', name: 'resizeMode', value: 'fixedMinSide', id: nextId('rm') });
  const promptInput = h('textarea', { class: 'input', rows: 2, maxlength: 500, name: 'prompt' });
  trAttr(promptInput, 'placeholder', 'promptPh');
  const wmSwitch = h('input', { type: 'checkbox', role: 'switch', id: nextId('wm'), class: 'switch-input' });
  const wmText = h('input', { class: 'input', maxlength: 40, disabled: true, name: 'watermark' });
  trAttr(wmText, 'placeholder', 'watermarkPh');

  // ---- side: frame preview, summary, confirm
  const frame = h('div', { class: 'frame' });
  const frameNote = h('div', { class: 'frame-note' });
  const summary = h('dl', { class: 'summary' });
  const problems = h('div', { class: 'problems' });
  const confirmLabel = tr('confirm');
  const confirmBtn = h('button', { type: 'submit', class: 'btn btn-primary btn-lg btn-block' }, icon('video', 18), confirmLabel);
  const formError = h('div', {});

  const step = (n: number, key: MsgKey, ...body: (Node | string)[]) =>
    h('fieldset', { class: 'card step' }, h('legend', {}, h('span', { class: 'step-num', 'aria-hidden': 'true' }, String(n)), tr(key)), ...body);

  const radioCard = (input: HTMLInputElement, titleKey: MsgKey, hintKey: MsgKey, shape: string) =>
    h('label', { class: 'radio-card', for: input.id }, input, h('span', { class: `shape shape-${shape}`, 'aria-hidden': 'true' }),
      h('span', { class: 'radio-text' }, h('strong', {}, tr(titleKey)), h('small', {}, tr(hintKey))));

  const form = h('form', { class: 'create-grid', novalidate: true },
    h('div', { class: 'create-main' },
      step(1, 'stepName', field('taskName', nameInput)),
      step(2, 'stepImage', imageInput, imageBox, imageStatus, useAnywayRow),
      step(3, 'stepAudio',
        h('div', { class: 'segmented', role: 'radiogroup' },
          h('label', { for: tabUpload.id }, tabUpload, icon('upload', 16), tr('audioUploadTab')),
          h('label', { for: tabText.id }, tabText, icon('sparkle', 16), tr('audioTextTab'))),
        uploadPanel, textPanel),
      step(4, 'stepSettings',
        h('div', { class: 'field' },
          h('label', { for: durNumber.id || (durNumber.id = nextId('dur')) }, tr('duration')),
          h('div', { class: 'duration-row' }, durRange, h('span', { class: 'num-wrap' }, durNumber, h('span', { class: 'unit' }, tr('seconds')))),
          h('p', { class: 'hint' }, tr('durationHint'), ' ', durAudioNote)),
        h('div', { class: 'field', role: 'radiogroup', 'aria-labelledby': 'rm-label' },
          h('span', { class: 'label', id: 'rm-label' }, tr('resizeMode')),
          h('div', { class: 'radio-cards' }, radioCard(resizeAdaptive, 'resizeAdaptive', 'resizeAdaptiveHint', 'wide'), radioCard(resizeFixed, 'resizeFixed', 'resizeFixedHint', 'own'))),
        field('prompt', promptInput, 'promptHint'),
        h('div', { class: 'field' },
          h('label', { class: 'switch', for: wmSwitch.id }, wmSwitch, h('span', { class: 'switch-track', 'aria-hidden': 'true' }), tr('watermark')),
          h('div', { class: 'wm-text' }, field('watermarkText', wmText))))),
    h('aside', { class: 'create-side' },
      h('div', { class: 'card sticky' },
        h('h2', { class: 'card-title' }, tr('cropPreview')),
        frame, frameNote,
        h('h2', { class: 'card-title' }, tr('summary')),
        summary, problems, formError, confirmBtn)),
  );

  const el = h('section', { class: 'page page-create' },
    h('header', { class: 'page-head' }, h('h1', {}, tr('createTitle')), h('p', { class: 'lead' }, tr('createLead'))),
    form);

  // ---------- portrait
  function renderImage(): void {
    if (!image || image.phase === 'error') {
      // A file that failed (not an image, too small) is not shown: the chooser comes back, with
      // the reason beneath it.
      setChildren(imageBox, dropZone(imageInput, 'image', 'imageDrop', 'imageDropHint'));
      if (image) { const d = describeError(image.error); setChildren(imageStatus, errorNotice(`${image.file.name}: ${d.plain}`, d.detail, d.code)); }
      else setChildren(imageStatus);
      useAnywayRow.hidden = true;
      return;
    }
    const img = h('img', { src: image.localUrl, alt: '', class: 'portrait' });
    const overlay = h('div', { class: 'face-layer', 'aria-hidden': 'true' });
    const faces = image.face?.faces ?? [];
    faces.forEach((f, i) => {
      const box = h('div', { class: `face-box${i === 0 ? ' primary' : ''}` });
      box.style.left = `${(100 * f.box.x) / image!.width}%`;
      box.style.top = `${(100 * f.box.y) / image!.height}%`;
      box.style.width = `${(100 * f.box.width) / image!.width}%`;
      box.style.height = `${(100 * f.box.height) / image!.height}%`;
      overlay.append(box);
    });
    if (image.phase === 'uploading' || image.phase === 'checking') overlay.append(h('div', { class: 'scan' }));
    setChildren(imageBox,
      h('div', { class: 'portrait-wrap' }, img, overlay),
      h('div', { class: 'media-meta' },
        h('span', { class: 'file-name' }, icon('image', 16), image.file.name),
        h('span', { class: 'muted' }, image.width ? t('imageSize', { w: image.width, h: image.height }) : '', ' · ', formatBytes(image.file.size)),
        h('label', { class: 'btn btn-ghost btn-sm', for: imageInput.id, tabindex: 0, role: 'button', onkeydown: keyClick(imageInput) }, tr('imageChange'))));

    let status: Node;
    if (image.phase === 'uploading') status = spinnerLine('uploading');
    else if (image.phase === 'checking') status = spinnerLine('faceChecking');
    else if (image.faceError) { const d = describeError(image.faceError); status = notice('warn', h('p', {}, t('faceCheckFailed', { msg: d.plain }))); }
    else if (image.face?.found) status = notice('ok', h('p', { class: 'notice-title' }, faces.length > 1 ? t('faceFoundMany', { n: faces.length }) : t('faceFound')));
    else status = notice('warn', h('p', { class: 'notice-title' }, t('faceNone')), h('p', {}, t('faceNoneHelp')));
    setChildren(imageStatus, status);
    useAnywayRow.hidden = !(image.phase === 'ready' && image.face && !image.face.found);
  }

  async function chooseImage(file: File): Promise<void> {
    const gen = ++imageGen;
    if (image) URL.revokeObjectURL(image.localUrl);
    image = { file, localUrl: URL.createObjectURL(file), width: 0, height: 0, phase: 'uploading' };
    useAnyway.checked = false;
    const cur = image;
    const probe = new Image();
    probe.onload = () => { if (gen === imageGen) { cur.width = probe.naturalWidth; cur.height = probe.naturalHeight; renderImage(); renderPreview(); } };
    probe.src = cur.localUrl;
    renderAll();
    try {
      const up = await api.upload(file, file.name);
      if (gen !== imageGen) return;
      cur.url = up.url;
      cur.phase = 'checking';
      renderAll();
      try {
        cur.face = await api.faceCheck(up.url);
        if (gen !== imageGen) return;
        cur.width = cur.face.width || cur.width;
        cur.height = cur.face.height || cur.height;
      } catch (err) {
        if (gen !== imageGen) return;
        // The image was taken; only the check failed. A decode error here means the image is bad.
        if (isImageError(err)) { cur.error = err; cur.phase = 'error'; renderAll(); return; }
        cur.faceError = err;
      }
      cur.phase = 'ready';
    } catch (err) {
      if (gen !== imageGen) return;
      cur.error = err;
      cur.phase = 'error';
    }
    renderAll();
  }

  // ---------- voice: upload
  function renderAudio(): void {
    if (!audio || audio.phase === 'error') {
      setChildren(audioBox, dropZone(audioInput, 'music', 'audioDrop', 'audioDropHint'));
      if (audio) { const d = describeError(audio.error); setChildren(audioStatus, errorNotice(`${audio.file.name}: ${d.plain}`, d.detail, d.code)); }
      else setChildren(audioStatus);
      return;
    }
    const player = h('audio', { controls: true, src: audio.localUrl, preload: 'metadata', class: 'audio' });
    const cur = audio;
    player.addEventListener('loadedmetadata', () => {
      if (cur !== audio || !Number.isFinite(player.duration) || cur.seconds !== undefined) return;
      cur.seconds = player.duration;
      setDuration(presetDuration(player.duration));
      renderAudioMeta();
      renderSummary();
    });
    setChildren(audioBox, player, h('div', { class: 'media-meta audio-meta' }));
    renderAudioMeta();
    if (audio.phase === 'uploading') setChildren(audioStatus, spinnerLine('uploading'));
    else setChildren(audioStatus);
  }

  function renderAudioMeta(): void {
    const meta = audioBox.querySelector('.audio-meta');
    if (!meta || !audio) return;
    setChildren(meta,
      h('span', { class: 'file-name' }, icon('music', 16), audio.file.name),
      h('span', { class: 'muted' }, audio.seconds !== undefined ? t('audioLength', { s: formatSeconds(audio.seconds) }) : '', audio.seconds !== undefined ? ' · ' : '', formatBytes(audio.file.size)),
      h('label', { class: 'btn btn-ghost btn-sm', for: audioInput.id, tabindex: 0, role: 'button', onkeydown: keyClick(audioInput) }, tr('audioChange')));
  }

  async function chooseAudio(file: File): Promise<void> {
    const gen = ++audioGen;
    if (audio) URL.revokeObjectURL(audio.localUrl);
    audio = { file, localUrl: URL.createObjectURL(file), phase: 'uploading' };
    const cur = audio;
    renderAudio();
    renderSummary();
    try {
      const up = await api.upload(file, file.name);
      if (gen !== audioGen) return;
      cur.url = up.url;
      cur.phase = 'ready';
    } catch (err) {
      if (gen !== audioGen) return;
      cur.error = err;
      cur.phase = 'error';
    }
    renderAudio();
    renderSummary();
  }

  // ---------- voice: text to speech
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
    return !!speech && !!picker && speech.text === textArea.value.trim() && speech.voice === picker.value() && speech.speed === Number(speedInput.value);
  }

  function markSpeechStale(): void {
    const stale = speechBox.querySelector('.stale');
    if (speech && !speechIsFresh()) { if (!stale) speechBox.append(h('p', { class: 'hint stale' }, tr('resynthNeeded'))); }
    else stale?.remove();
    renderSummary();
  }

  function renderSpeech(): void {
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
      speech = { text, voice, speed, audioUrl: r.audioUrl, durationSeconds: r.durationSeconds };
      setDuration(presetDuration(r.durationSeconds));
      renderSpeech();
      return speech;
    } catch (err) {
      const d = describeError(err);
      setChildren(speechBox, errorNotice(d.plain, d.detail, d.code));
      return null;
    } finally {
      synthBtn.disabled = false;
      retext(label, 'synthesize');
      renderSummary();
    }
  }

  // ---------- settings
  function setDuration(v: number): void {
    const clamped = Math.min(MAX_DURATION, Math.max(1, Math.round(v * 10) / 10));
    durRange.value = String(clamped);
    durNumber.value = String(clamped);
    renderSummary();
  }

  function audioSeconds(): number | undefined {
    if (mode === 'upload') return audio?.seconds;
    return speech?.durationSeconds;
  }

  // ---------- preview of the output frame
  function renderPreview(): void {
    const fixed = resizeFixed.checked;
    if (!image || !image.width || image.phase === 'error') {
      frame.style.aspectRatio = '16 / 9';
      setChildren(frame, h('div', { class: 'frame-empty' }, icon('image', 32)));
      setChildren(frameNote);
      return;
    }
    let layout: FrameLayout | null;
    let problem: string | null = null;
    if (image.face) {
      layout = fixed ? image.face.layouts.fixedMinSide : image.face.layouts.adaptive;
      if (fixed && !layout) problem = t('aspectTooLong');
    } else {
      layout = localLayout(image.width, image.height, fixed);
      if (!layout) problem = t('aspectTooLong');
    }
    if (!layout) {
      frame.style.aspectRatio = '16 / 9';
      setChildren(frame, h('div', { class: 'frame-empty' }, icon('alert', 32)));
      setChildren(frameNote, notice('error', h('p', {}, problem ?? '')));
      return;
    }
    const { crop } = layout;
    frame.style.aspectRatio = `${layout.width} / ${layout.height}`;
    const img = h('img', { src: image.localUrl, alt: '', class: 'frame-img' });
    img.style.width = `${(100 * image.width) / crop.width}%`;
    img.style.height = `${(100 * image.height) / crop.height}%`;
    img.style.left = `${(-100 * crop.x) / crop.width}%`;
    img.style.top = `${(-100 * crop.y) / crop.height}%`;
    const wm = wmSwitch.checked ? h('span', { class: 'frame-wm' }, wmText.value.trim() || t('watermarkDefault')) : '';
    const fill = layout.padded ? h('img', { src: image.localUrl, alt: '', class: 'frame-fill' }) : '';
    setChildren(frame, fill, img, wm);
    setChildren(frameNote,
      h('span', { class: 'muted' }, t('outputSize', { w: layout.width, h: layout.height })),
      layout.padded ? h('span', { class: 'muted' }, ' · ', t('cropPadded')) : '');
  }

  // ---------- summary and validation
  function problemsNow(): MsgKey[] {
    const out: MsgKey[] = [];
    if (!nameInput.value.trim()) out.push('needName');
    if (!image || image.phase === 'error') out.push('needImage');
    else if (image.phase !== 'ready') out.push('needImageUploaded');
    else if (image.face && !image.face.found && !useAnyway.checked) out.push('needFace');
    if (mode === 'upload') {
      if (!audio || audio.phase === 'error') out.push('needAudio');
      else if (audio.phase !== 'ready') out.push('needAudioUploaded');
    } else if (!textArea.value.trim() || !picker?.value()) out.push('needAudio');
    const d = Number(durNumber.value);
    if (!Number.isFinite(d) || d < 1 || d > MAX_DURATION) out.push('needDuration');
    return out;
  }

  function renderSummary(): void {
    const secs = audioSeconds();
    durAudioNote.textContent = secs !== undefined ? t('audioLength', { s: formatSeconds(secs) }) : '';
    const row = (k: MsgKey, v: string, ok: boolean) =>
      [h('dt', {}, t(k)), h('dd', { class: ok ? '' : 'missing' }, v || '—')];
    setChildren(summary,
      row('taskName', nameInput.value.trim(), !!nameInput.value.trim()),
      row('stepImage', image && image.phase !== 'error' ? image.file.name : '', image?.phase === 'ready'),
      row('stepAudio', mode === 'upload' ? (audio && audio.phase !== 'error' ? audio.file.name : '') : textArea.value.trim().slice(0, 40), mode === 'upload' ? audio?.phase === 'ready' : !!textArea.value.trim()),
      row('duration', formatSeconds(Number(durNumber.value)), true),
      row('resizeMode', resizeFixed.checked ? t('resizeFixed') : t('resizeAdaptive'), true));
    if (submitted) {
      const list = problemsNow();
      setChildren(problems, list.length ? notice('warn', h('ul', {}, ...list.map((k) => h('li', {}, t(k))))) : '');
    }
  }

  function renderAll(): void {
    renderImage();
    renderPreview();
    renderSummary();
  }

  // ---------- submit
  async function submit(): Promise<void> {
    if (busy) return;
    submitted = true;
    setChildren(formError);
    renderSummary();
    if (problemsNow().length) {
      (problems.querySelector('.notice') as HTMLElement | null)?.focus?.();
      return;
    }
    busy = true;
    confirmBtn.disabled = true;
    retext(confirmLabel, 'creating');
    try {
      const param: CreateParam = {
        imageUrl: image!.url!,
        duration: Number(durNumber.value),
        resizeMode: resizeFixed.checked ? 'fixedMinSide' : 'adaptive',
      };
      if (mode === 'upload') param.audioUrl = audio!.url!;
      else {
        // The duration is preset from the speech, so synthesize first if that has not happened.
        if (!speechIsFresh() && !(await synthesize())) return;
        param.text = speech!.text;
        param.voice = speech!.voice;
        param.speed = speech!.speed;
        param.duration = Number(durNumber.value);
      }
      if (promptInput.value.trim()) param.prompt = promptInput.value.trim();
      if (wmSwitch.checked) param.watermark = wmText.value.trim() ? { show: true, content: wmText.value.trim() } : { show: true };
      const id = await api.createTask(nameInput.value.trim(), param);
      reset();
      location.hash = `#/tasks/${id}`;
    } catch (err) {
      const d = describeError(err);
      setChildren(formError, errorNotice(d.plain, d.detail, d.code));
    } finally {
      busy = false;
      confirmBtn.disabled = false;
      retext(confirmLabel, 'confirm');
    }
  }

  // ---------- wiring
  imageInput.addEventListener('change', () => { const f = imageInput.files?.[0]; if (f) void chooseImage(f); imageInput.value = ''; });
  audioInput.addEventListener('change', () => { const f = audioInput.files?.[0]; if (f) void chooseAudio(f); audioInput.value = ''; });
  for (const [zoneOf, choose] of [[imageBox, chooseImage], [audioBox, chooseAudio]] as const) {
    zoneOf.addEventListener('dragover', (e) => { e.preventDefault(); zoneOf.classList.add('drag'); });
    zoneOf.addEventListener('dragleave', () => zoneOf.classList.remove('drag'));
    zoneOf.addEventListener('drop', (e) => {
      e.preventDefault();
      zoneOf.classList.remove('drag');
      const f = e.dataTransfer?.files[0];
      if (f) void choose(f);
    });
  }
  const setMode = (m: 'upload' | 'text') => {
    mode = m;
    tabUpload.checked = m === 'upload';
    tabText.checked = m === 'text';
    uploadPanel.hidden = m !== 'upload';
    textPanel.hidden = m !== 'text';
    if (m === 'text') void ensureVoices();
    const secs = audioSeconds();
    if (secs !== undefined) setDuration(presetDuration(secs));
    renderSummary();
  };
  tabUpload.addEventListener('change', () => setMode('upload'));
  tabText.addEventListener('change', () => setMode('text'));
  speedInput.addEventListener('input', () => { speedOut.textContent = `${Number(speedInput.value).toFixed(1)}×`; markSpeechStale(); });
  textArea.addEventListener('input', markSpeechStale);
  synthBtn.addEventListener('click', () => void synthesize());
  durRange.addEventListener('input', () => { durNumber.value = durRange.value; renderSummary(); });
  durNumber.addEventListener('input', () => { const v = Number(durNumber.value); if (Number.isFinite(v)) durRange.value = String(v); renderSummary(); });
  durNumber.addEventListener('change', () => { const v = Number(durNumber.value); if (Number.isFinite(v)) setDuration(v); });
  resizeAdaptive.addEventListener('change', () => { renderPreview(); renderSummary(); });
  resizeFixed.addEventListener('change', () => { renderPreview(); renderSummary(); });
  wmSwitch.addEventListener('change', () => { wmText.disabled = !wmSwitch.checked; renderPreview(); });
  wmText.addEventListener('input', renderPreview);
  nameInput.addEventListener('input', renderSummary);
  useAnyway.addEventListener('change', renderSummary);
  form.addEventListener('submit', (e) => { e.preventDefault(); void submit(); });
  onLangChange(() => { renderAll(); if (audio) renderAudioMeta(); if (speech) renderSpeech(); });

  setChildren(uploadPanel, audioInput, audioBox, audioStatus);
  setChildren(textPanel,
    field('text', textArea),
    voiceSlot,
    h('div', { class: 'field' }, h('label', { for: speedInput.id || (speedInput.id = nextId('speed')) }, tr('speed')), h('div', { class: 'duration-row' }, speedInput, speedOut)),
    h('div', { class: 'row' }, synthBtn),
    speechBox);
  renderAudio();
  renderAll();

  return {
    el,
    prefill(p: SpeechPrefill) {
      setMode('text');
      textArea.value = p.text;
      speedInput.value = String(p.speed);
      speedOut.textContent = `${p.speed.toFixed(1)}×`;
      speech = { ...p };
      void ensureVoices().then(() => {
        picker?.setValue(p.voice);
        renderSpeech();
        setDuration(presetDuration(p.durationSeconds));
      });
      setChildren(speechBox, notice('info', h('p', {}, t('prefilled'))));
      if (!nameInput.value) nameInput.value = p.text.slice(0, 30);
      renderSummary();
    },
  };
}

/** A file chooser that looks like a drop zone; the label makes it keyboard reachable. */
function dropZone(input: HTMLInputElement, iconName: string, titleKey: MsgKey, hintKey: MsgKey): HTMLElement {
  return h('label', { class: 'drop', for: input.id, tabindex: 0, role: 'button', onkeydown: keyClick(input) },
    h('span', { class: 'drop-icon' }, icon(iconName, 28)),
    h('strong', {}, tr(titleKey)),
    h('small', {}, tr(hintKey)));
}

/** Enter/Space on a focused label opens its file chooser. */
function keyClick(input: HTMLInputElement): EventListener {
  return (e: Event) => {
    const k = (e as KeyboardEvent).key;
    if (k === 'Enter' || k === ' ') { e.preventDefault(); input.click(); }
  };
}

function spinnerLine(key: MsgKey): HTMLElement {
  return h('p', { class: 'spinner-line' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), tr(key));
}

/** Errors about the image itself (as opposed to the face model failing). */
function isImageError(err: unknown): boolean {
  const code = (err as { code?: number }).code;
  return typeof code === 'number' && code >= 1100 && code < 1200 || code === 3302 || code === 3303;
}

/**
 * Frame used only when the face check is unavailable: a centred 16:9 window, or the whole image.
 * The service's answer (which knows the face) replaces it as soon as it arrives.
 */
function localLayout(w: number, hgt: number, fixed: boolean): FrameLayout | null {
  if (fixed) {
    const aspect = Math.max(w, hgt) / Math.min(w, hgt);
    if (aspect > 3) return null;
    const long = 2 * Math.round((720 * aspect) / 2);
    return { width: w >= hgt ? long : 720, height: w >= hgt ? 720 : long, crop: { x: 0, y: 0, width: w, height: hgt }, padded: false };
  }
  const ch = Math.min(hgt, w / (16 / 9));
  const cw = ch * (16 / 9);
  return { width: 1280, height: 720, crop: { x: (w - cw) / 2, y: Math.max(0, (hgt - ch) * 0.3), width: cw, height: ch }, padded: false };
}
