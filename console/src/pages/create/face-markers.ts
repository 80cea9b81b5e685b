// Face markers over the portrait: left and right eye, the two mouth corners and optionally the
// chin, in source-image pixels ("left" is the picture's left). Dragged with any pointer (mouse,
// pen, touch) or moved with the arrow keys; a small canvas zooms on the mouth and opens a dark
// lens between the corners, so the user sees where the mouth will open.
import { FACE_POINT_NAMES, type FacePointName, type FacePoints, type XY } from '../../api';
import { h, setChildren } from '../../dom';
import { t, tr, type MsgKey } from '../../i18n';
import type { CreateState, FaceMarks, ImageState } from './state';

/** Where a face usually is when nothing was found: a frontal face filling the middle. */
export function guessPoints(w: number, hgt: number): Record<FacePointName, XY> {
  const p = (x: number, y: number): XY => [round1(x * w), round1(y * hgt)];
  return { leftEye: p(0.38, 0.4), rightEye: p(0.62, 0.4), mouthLeft: p(0.44, 0.62), mouthRight: p(0.56, 0.62), chin: p(0.5, 0.78) };
}

/** Markers prefilled with the best guess: the face found, else the usual place of a face. */
export function marksFor(image: ImageState): FaceMarks {
  const found = image.face?.found ? image.face.face?.points : undefined;
  const points = found
    ? Object.fromEntries(FACE_POINT_NAMES.map((n) => [n, [round1(found[n][0]), round1(found[n][1])]])) as Record<FacePointName, XY>
    : guessPoints(image.width, image.height);
  return { points, chin: !!found, confirmed: false };
}

/** What the create request sends: source pixels rounded to 0.1. */
export function facePointsParam(m: FaceMarks): FacePoints {
  const p = (n: FacePointName): XY => [round1(m.points[n][0]), round1(m.points[n][1])];
  const out: FacePoints = { leftEye: p('leftEye'), rightEye: p('rightEye'), mouthLeft: p('mouthLeft'), mouthRight: p('mouthRight') };
  if (m.chin) out.chin = p('chin');
  return out;
}

/** Left and right swapped, or the mouth not below the eyes (the service would refuse them). */
export function marksLookOdd(m: FaceMarks): boolean {
  const { leftEye: le, rightEye: re, mouthLeft: ml, mouthRight: mr, chin } = m.points;
  const eyeY = (le[1] + re[1]) / 2, mouthY = (ml[1] + mr[1]) / 2;
  return le[0] >= re[0] || ml[0] >= mr[0] || mouthY <= eyeY || (m.chin && chin[1] <= mouthY);
}

const round1 = (v: number): number => Math.round(v * 10) / 10;
const fmt = (v: number): string => v.toFixed(1);

export interface MarkerEditor {
  /** Goes over the picture, the same size as it. */
  readonly layer: HTMLElement;
  /** Goes below the picture: help, mouth preview, coordinates, chin switch, buttons. */
  readonly panel: HTMLElement;
  /** Follows `state.image.marks`: positions, texts, what is shown. */
  sync(): void;
}

/**
 * `changed(full)`: a marker moved or was confirmed (the summary follows; the editor updated
 * itself), or with `full` the markers were closed (the portrait renders again). Moves never
 * re-render the portrait: that would detach the marker being dragged or focused.
 */
export function markerEditor(state: CreateState, changed: (full: boolean) => void): MarkerEditor {
  const layer = h('div', { class: 'marker-layer' });
  const readout = h('p', { class: 'marker-readout', 'aria-live': 'polite', tabindex: -1 });
  const canvas = h('canvas', { class: 'mouth-preview', width: 176, height: 104, role: 'img' });
  const chinBox = h('input', { type: 'checkbox', name: 'faceChin' });
  const buttons = h('div', { class: 'marker-actions' });
  const odd = h('p', { class: 'marker-odd', role: 'status' });
  const panel = h('div', { class: 'marker-panel', hidden: true },
    h('p', { class: 'muted marker-help' }, tr('markersHelp')),
    h('div', { class: 'marker-row' },
      h('figure', { class: 'mouth-figure' }, canvas, h('figcaption', { class: 'muted' }, tr('markersMouthPreview'))),
      h('div', { class: 'marker-side' }, readout, odd,
        h('label', { class: 'check' }, chinBox, tr('markersChin')),
        buttons)));
  const source = new Image();
  const markers = new Map<FacePointName, HTMLButtonElement>();
  let active: FacePointName = 'leftEye';
  let grab: { id: number; name: FacePointName; dx: number; dy: number } | null = null;
  let raf = 0;

  const image = (): ImageState | null => state.image;
  const marks = (): FaceMarks | undefined => state.image?.marks;
  const label = (n: FacePointName, xy: XY) => t('markerAt', { name: t(`pt_${n}` as MsgKey), x: fmt(xy[0]), y: fmt(xy[1]) });

  /** Source pixels per displayed CSS pixel, whatever the screen's devicePixelRatio. */
  const scale = (): number => {
    const r = layer.getBoundingClientRect();
    return r.width > 0 && image()?.width ? image()!.width / r.width : 1;
  };

  function place(n: FacePointName): void {
    const img = image(), m = marks(), b = markers.get(n);
    if (!img || !m || !b) return;
    const [x, y] = m.points[n];
    b.style.left = `${(100 * x) / img.width}%`;
    b.style.top = `${(100 * y) / img.height}%`;
    b.hidden = n === 'chin' && !m.chin;
    // Near the bottom edge the label goes above the point (the picture clips what is outside).
    b.classList.toggle('label-up', y > 0.88 * img.height);
    b.setAttribute('aria-label', label(n, m.points[n]));
    b.dataset.x = fmt(x);
    b.dataset.y = fmt(y);
    b.dataset.step = String(Math.max(1, Math.round(scale())));
    (b.querySelector('.marker-label') as HTMLElement).textContent = t(`ptShort_${n}` as MsgKey);
  }

  function showActive(): void {
    const m = marks();
    readout.textContent = m ? label(active, m.points[active]) : '';
  }

  function move(n: FacePointName, x: number, y: number): void {
    const img = image(), m = marks();
    if (!img || !m) return;
    m.points[n] = [round1(Math.min(img.width, Math.max(0, x))), round1(Math.min(img.height, Math.max(0, y)))];
    active = n;
    m.confirmed = true;
    place(n);
    showActive();
    syncPanel();
    changed(false);
  }

  for (const n of FACE_POINT_NAMES) {
    const kind = n.startsWith('mouth') ? 'mouth' : n === 'chin' ? 'chin' : 'eye';
    const b = h('button', { type: 'button', class: `marker marker-${kind} marker-${n}`, 'data-point': n },
      h('span', { class: 'marker-dot', 'aria-hidden': 'true' }), h('span', { class: 'marker-label', 'aria-hidden': 'true' }));
    b.addEventListener('pointerdown', (e) => {
      const m = marks(), img = image();
      if (!m || !img || (e.pointerType === 'mouse' && e.button !== 0)) return;
      e.preventDefault();
      b.focus({ preventScroll: true });
      b.setPointerCapture(e.pointerId);
      const r = layer.getBoundingClientRect();
      const [x, y] = m.points[n];
      // Keep the grab offset: the marker does not jump to the finger.
      grab = { id: e.pointerId, name: n, dx: e.clientX - (r.left + (x / img.width) * r.width), dy: e.clientY - (r.top + (y / img.height) * r.height) };
      b.classList.add('dragging');
    });
    b.addEventListener('pointermove', (e) => {
      const img = image();
      if (!grab || grab.id !== e.pointerId || grab.name !== n || !img) return;
      const r = layer.getBoundingClientRect();
      if (!r.width || !r.height) return;
      move(n, ((e.clientX - grab.dx - r.left) / r.width) * img.width, ((e.clientY - grab.dy - r.top) / r.height) * img.height);
    });
    const drop = (e: PointerEvent) => { if (grab?.id === e.pointerId) { grab = null; b.classList.remove('dragging'); } };
    b.addEventListener('pointerup', drop);
    b.addEventListener('pointercancel', drop);
    b.addEventListener('lostpointercapture', drop);
    b.addEventListener('keydown', (e) => {
      const m = marks();
      const d: Record<string, XY> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      const dir = d[e.key];
      if (!m || !dir) return;
      e.preventDefault();
      // One step is one displayed pixel (at least one image pixel); Shift moves ten.
      const step = Math.max(1, Math.round(scale())) * (e.shiftKey ? 10 : 1);
      const [x, y] = m.points[n];
      move(n, x + dir[0] * step, y + dir[1] * step);
    });
    b.addEventListener('focus', () => { active = n; place(n); showActive(); });
    markers.set(n, b);
    layer.append(b);
  }

  chinBox.addEventListener('change', () => {
    const m = marks();
    if (!m) return;
    m.chin = chinBox.checked;
    m.confirmed = true;
    place('chin');
    if (m.chin) { active = 'chin'; showActive(); }
    syncPanel();
    changed(false);
  });

  function button(key: MsgKey, cls: string, fn: () => void): HTMLButtonElement {
    return h('button', { type: 'button', class: `btn btn-sm ${cls}`, onclick: fn }, tr(key));
  }

  function syncPanel(): void {
    const img = image(), m = marks();
    if (!img || !m) return;
    chinBox.checked = m.chin;
    odd.textContent = marksLookOdd(m) ? t('markersOdd') : '';
    setChildren(buttons,
      !img.face?.found && !m.confirmed ? button('markersConfirm', 'btn-primary', () => { m.confirmed = true; syncPanel(); readout.focus(); changed(false); }) : '',
      button('markersReset', 'btn-ghost', () => { img.marks = marksFor(img); sync(); changed(false); }),
      img.face?.found ? button('faceUseFound', 'btn-ghost', () => { img.marks = undefined; changed(true); }) : '');
  }

  function draw(ms: number): void {
    const img = image(), m = marks();
    const ctx = canvas.getContext('2d');
    if (!img || !m || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const cw = canvas.clientWidth || 176, ch = canvas.clientHeight || 104;
    if (canvas.width !== Math.round(cw * dpr)) { canvas.width = Math.round(cw * dpr); canvas.height = Math.round(ch * dpr); }
    const [ax, ay] = m.points.mouthLeft, [bx, by] = m.points.mouthRight;
    const mw = Math.hypot(bx - ax, by - ay);
    const cx = (ax + bx) / 2, cy = (ay + by) / 2;
    const rw = Math.max(mw * 2.4, 24), rh = (rw * ch) / cw;
    const k = (cw * dpr) / rw;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#1d2033';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (source.complete && source.naturalWidth) {
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(source, cx - rw / 2, cy - rh / 2, rw, rh, 0, 0, canvas.width, canvas.height);
    }
    const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    const open = reduced ? 0.6 : (1 - Math.cos((ms / 1000) * Math.PI * 2 * 1.2)) / 2;
    ctx.translate(canvas.width / 2, canvas.height / 2);
    ctx.rotate(Math.atan2(by - ay, bx - ax));
    const rx = Math.max(2, (mw / 2) * k);
    ctx.beginPath();
    ctx.ellipse(0, 0, rx, Math.max(1, rx * 0.55 * open), 0, 0, Math.PI * 2);
    ctx.fillStyle = 'rgba(28, 6, 14, 0.88)';
    ctx.fill();
    ctx.lineWidth = 1.5 * dpr;
    ctx.strokeStyle = 'rgba(255, 160, 190, 0.9)';
    ctx.stroke();
    ctx.fillStyle = '#f472b6';
    for (const sx of [-rx, rx]) { ctx.beginPath(); ctx.arc(sx, 0, 3 * dpr, 0, Math.PI * 2); ctx.fill(); }
  }

  // The lens animates only while the preview is on screen (it stops when scrolled away, when the
  // page is left or the markers closed, and starts again when it is seen).
  let seen = false;
  new IntersectionObserver((entries) => {
    seen = entries[entries.length - 1]!.isIntersecting;
    if (seen && !raf) raf = requestAnimationFrame(loop);
  }).observe(canvas);

  function loop(ms: number): void {
    raf = 0;
    if (!seen || !canvas.isConnected || !marks()) return;
    draw(ms);
    raf = requestAnimationFrame(loop);
  }

  function sync(): void {
    const img = image(), m = marks();
    const on = !!img && !!m && img.phase === 'ready' && img.width > 0;
    layer.hidden = !on;
    panel.hidden = !on;
    if (!on) return;
    if (source.src !== img!.localUrl) source.src = img!.localUrl;
    for (const n of FACE_POINT_NAMES) place(n);
    showActive();
    syncPanel();
    canvas.setAttribute('aria-label', t('markersMouthPreview'));
    // Positions are percentages, but the step (one displayed pixel) needs the laid-out size.
    requestAnimationFrame(() => { for (const n of FACE_POINT_NAMES) place(n); });
    draw(performance.now());
    if (!raf) raf = requestAnimationFrame(loop);
  }

  return { layer, panel, sync };
}
