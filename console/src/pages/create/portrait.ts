// Step 2, the portrait: choose or drop an image, upload it, run the service's face check and show
// the faces found over the picture. Where no face is found (an animal, a drawing), the user marks
// it with draggable markers; a found face can be corrected the same way ("Adjust face points").
import { api } from '../../api';
import { h, icon, nextId, setChildren } from '../../dom';
import { describeError } from '../../errors';
import { formatBytes } from '../../format';
import { t, tr } from '../../i18n';
import { errorNotice, notice } from '../../ui';
import { markerEditor, marksFor } from './face-markers';
import type { CreateState, ImageState } from './state';
import { acceptDrops, dropZone, keyClick, spinnerLine } from './widgets';

export interface PortraitSection {
  /** The step's content: file input, picture or drop zone, status, face markers. */
  readonly body: Node[];
  render(): void;
}

export function portraitSection(state: CreateState): PortraitSection {
  let gen = 0;
  // The file inputs are opened through their drop-zone labels, which are the tab stops.
  const imageInput = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/webp,image/heic,.heic,image/*', class: 'visually-hidden', id: nextId('image'), tabindex: -1 });
  const imageBox = h('div', { class: 'media-box' });
  const imageStatus = h('div', { class: 'media-status', 'aria-live': 'polite' });
  const markers = markerEditor(state, (full) => { if (full) changed(); else state.emit('change'); });

  function render(): void {
    const image = state.image;
    if (!image || image.phase === 'error') {
      // A file that failed (not an image, too small) is not shown: the chooser comes back, with
      // the reason beneath it.
      setChildren(imageBox, dropZone(imageInput, 'image', 'imageDrop', 'imageDropHint'));
      if (image) { const d = describeError(image.error); setChildren(imageStatus, errorNotice(`${image.file.name}: ${d.plain}`, d.detail, d.code)); }
      else setChildren(imageStatus);
      markers.sync();
      return;
    }
    const img = h('img', { src: image.localUrl, alt: '', class: 'portrait' });
    const overlay = h('div', { class: 'face-layer', 'aria-hidden': 'true' });
    const faces = image.face?.faces ?? [];
    // Faces come numbered from the left (the numbers a dialogue's speakers name); the one a
    // single speech animates is framed green. Numbers are shown when there are several.
    const main = image.face?.main ?? 0;
    faces.forEach((f, i) => {
      const box = h('div', { class: `face-box${(f.index ?? i) === main ? ' primary' : ''}${image.marks ? ' faint' : ''}` },
        faces.length > 1 ? h('span', { class: 'face-number' }, String(f.index ?? i)) : '');
      box.style.left = `${(100 * f.box.x) / image.width}%`;
      box.style.top = `${(100 * f.box.y) / image.height}%`;
      box.style.width = `${(100 * f.box.width) / image.width}%`;
      box.style.height = `${(100 * f.box.height) / image.height}%`;
      overlay.append(box);
    });
    if (image.phase === 'uploading' || image.phase === 'checking') overlay.append(h('div', { class: 'scan' }));
    setChildren(imageBox,
      h('div', { class: 'portrait-wrap' }, img, overlay, markers.layer),
      h('div', { class: 'media-meta' },
        h('span', { class: 'file-name' }, icon('image', 16), image.file.name),
        h('span', { class: 'muted' }, image.width ? t('imageSize', { w: image.width, h: image.height }) : '', ' · ', formatBytes(image.file.size)),
        h('label', { class: 'btn btn-ghost btn-sm', for: imageInput.id, tabindex: 0, role: 'button', onkeydown: keyClick(imageInput) }, tr('imageChange'))));

    let status: Node;
    if (image.phase === 'uploading') status = spinnerLine('uploading');
    else if (image.phase === 'checking') status = spinnerLine('faceChecking');
    else if (image.faceError) { const d = describeError(image.faceError); status = notice('warn', h('p', {}, t('faceCheckFailed', { msg: d.plain })), image.marks ? '' : adjustButton(image, 'faceMarkByHand')); }
    else if (image.face?.found) status = notice('ok', h('p', { class: 'notice-title' }, faces.length > 1 ? t('faceFoundMany', { n: faces.length }) : t('faceFound')), image.marks ? '' : adjustButton(image, 'faceAdjust'));
    else status = notice('warn', h('p', { class: 'notice-title' }, t('faceNone')), h('p', {}, t('faceNoneHelp')));
    setChildren(imageStatus, status);
    markers.sync();
  }

  /** Opens the markers on the found face (or on the usual place of one). */
  function adjustButton(image: ImageState, key: 'faceAdjust' | 'faceMarkByHand'): HTMLButtonElement {
    return h('button', {
      type: 'button', class: 'btn btn-ghost btn-sm adjust-face',
      onclick: () => {
        image.marks = marksFor(image);
        changed();
        (markers.layer.querySelector('.marker') as HTMLElement | null)?.focus({ preventScroll: true });
      },
    }, tr(key));
  }

  /** Shows the portrait, then tells the frame preview and the summary. */
  function changed(): void {
    render();
    state.emit('image');
    state.emit('change');
  }

  async function choose(file: File): Promise<void> {
    const g = ++gen;
    if (state.image) URL.revokeObjectURL(state.image.localUrl);
    const cur: ImageState = { file, localUrl: URL.createObjectURL(file), width: 0, height: 0, phase: 'uploading' };
    state.image = cur;
    const probe = new Image();
    probe.onload = () => { if (g === gen) { cur.width = probe.naturalWidth; cur.height = probe.naturalHeight; render(); state.emit('image'); } };
    probe.src = cur.localUrl;
    changed();
    try {
      const up = await api.upload(file, file.name);
      if (g !== gen) return;
      cur.url = up.url;
      cur.phase = 'checking';
      changed();
      try {
        cur.face = await api.faceCheck(up.url);
        if (g !== gen) return;
        cur.width = cur.face.width || cur.width;
        cur.height = cur.face.height || cur.height;
        // No face: the markers come up at once, on the usual place of a face, to be moved.
        if (!cur.face.found) cur.marks = marksFor(cur);
      } catch (err) {
        if (g !== gen) return;
        // The image was taken; only the check failed. A decode error here means the image is bad.
        if (isImageError(err)) { cur.error = err; cur.phase = 'error'; changed(); return; }
        cur.faceError = err;
      }
      cur.phase = 'ready';
    } catch (err) {
      if (g !== gen) return;
      cur.error = err;
      cur.phase = 'error';
    }
    changed();
  }

  imageInput.addEventListener('change', () => { const f = imageInput.files?.[0]; if (f) void choose(f); imageInput.value = ''; });
  acceptDrops(imageBox, choose);

  return {
    body: [imageInput, imageBox, imageStatus, markers.panel],
    render,
  };
}

/** Errors about the image itself (as opposed to the face model failing). */
function isImageError(err: unknown): boolean {
  const code = (err as { code?: number }).code;
  return typeof code === 'number' && code >= 1100 && code < 1200 || code === 3302 || code === 3303;
}
