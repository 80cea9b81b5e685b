// Step 4, the video settings: duration, frame (resize mode), prompt and watermark; and the preview
// of the output frame (the crop of the portrait, with the watermark) shown beside the form.
import type { CreateParam, FrameLayout } from '../../api';
import { h, icon, nextId, setChildren } from '../../dom';
import { formatSeconds, presetDuration } from '../../format';
import { t, tr, trAttr, type MsgKey } from '../../i18n';
import { field, notice } from '../../ui';
import { audioSeconds, MAX_DURATION, type CreateState } from './state';

export interface SettingsSection {
  /** The step's content. */
  body(): Node[];
  /** The frame preview and its note, for the side panel. */
  readonly preview: Node[];
  /** Seconds entered (may be out of range or not a number while typing). */
  duration(): number;
  resizeMode(): CreateParam['resizeMode'];
  /** The prompt, trimmed. */
  prompt(): string;
  watermark(): CreateParam['watermark'];
  renderPreview(): void;
}

export function settingsSection(state: CreateState): SettingsSection {
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
  const frame = h('div', { class: 'frame' });
  const frameNote = h('div', { class: 'frame-note' });

  const changed = () => state.emit('change');

  function setDuration(v: number): void {
    const clamped = Math.min(MAX_DURATION, Math.max(1, Math.round(v * 10) / 10));
    durRange.value = String(clamped);
    durNumber.value = String(clamped);
    changed();
  }

  const radioCard = (input: HTMLInputElement, titleKey: MsgKey, hintKey: MsgKey, shape: string) =>
    h('label', { class: 'radio-card', for: input.id }, input, h('span', { class: `shape shape-${shape}`, 'aria-hidden': 'true' }),
      h('span', { class: 'radio-text' }, h('strong', {}, tr(titleKey)), h('small', {}, tr(hintKey))));

  function renderPreview(): void {
    const image = state.image;
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

  durRange.addEventListener('input', () => { durNumber.value = durRange.value; changed(); });
  durNumber.addEventListener('input', () => { const v = Number(durNumber.value); if (Number.isFinite(v)) durRange.value = String(v); changed(); });
  durNumber.addEventListener('change', () => { const v = Number(durNumber.value); if (Number.isFinite(v)) setDuration(v); });
  resizeAdaptive.addEventListener('change', () => { renderPreview(); changed(); });
  resizeFixed.addEventListener('change', () => { renderPreview(); changed(); });
  wmSwitch.addEventListener('change', () => { wmText.disabled = !wmSwitch.checked; renderPreview(); });
  wmText.addEventListener('input', renderPreview);
  state.on('image', renderPreview);
  state.on('audioLength', (secs) => setDuration(presetDuration(secs)));
  // The length of the voice in use, beside the duration it presets.
  state.on('change', () => {
    const secs = audioSeconds(state);
    durAudioNote.textContent = secs !== undefined ? t('audioLength', { s: formatSeconds(secs) }) : '';
  });

  return {
    body: () => [
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
        h('div', { class: 'wm-text' }, field('watermarkText', wmText))),
    ],
    preview: [frame, frameNote],
    duration: () => Number(durNumber.value),
    resizeMode: () => (resizeFixed.checked ? 'fixedMinSide' : 'adaptive'),
    prompt: () => promptInput.value.trim(),
    watermark: () => (wmSwitch.checked ? (wmText.value.trim() ? { show: true, content: wmText.value.trim() } : { show: true }) : undefined),
    renderPreview,
  };
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
