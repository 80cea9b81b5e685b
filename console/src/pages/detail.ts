// Task detail: live progress while it renders, then the video (seekable: the service answers
// Range requests), download, expiry, or the failure in plain words.
import { api, type CreateParam, type Task, type TaskInput } from '../api';
import { h, icon, setChildren } from '../dom';
import { describeError } from '../errors';
import { formatDate, formatSeconds } from '../format';
import { onLangChange, t, tr, type MsgKey } from '../i18n';
import { errorNotice, notice, progressBar, setProgress, statusBadge } from '../ui';
import { poll } from './poll';
import { deleteButton, downloadLink, expiryChip, failureNotice, isActive } from './task-card';

export function detailPage(main: HTMLElement, params: Record<string, string>): () => void {
  const id = Number(params.id);
  const head = h('div', { class: 'detail-head' });
  const stage = h('div', { class: 'detail-stage' });
  const info = h('dl', { class: 'info' });
  const actions = h('div', { class: 'actions' });
  const message = h('div', {});
  let last: Task | null = null;
  let player: HTMLVideoElement | null = null;
  let bar: HTMLElement | null = null;

  main.append(h('section', { class: 'page page-detail' },
    h('a', { class: 'back-link', href: '#/tasks' }, icon('back', 16), tr('back')),
    message,
    head,
    h('div', { class: 'detail-grid' },
      h('div', { class: 'card stage-card' }, stage),
      h('div', { class: 'card' }, h('h2', { class: 'card-title' }, tr('info')), info, actions))));
  setChildren(stage, h('p', { class: 'spinner-line' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), tr('loading')));

  /** `relabel`: the language changed; rebuild texts but keep a playing video as it is. */
  function render(task: Task, relabel = false): void {
    const changed = !last || last.status !== task.status || last.videoUrl !== task.videoUrl || (relabel && task.status !== 'succeeded');
    setChildren(head,
      h('div', {}, h('h1', {}, task.videoName), h('p', { class: 'muted' }, t('taskId', { id: task.taskId }))),
      h('div', { class: 'row' }, statusBadge(task.status), expiryChip(task)));
    if (isActive(task)) {
      if (changed || !bar) {
        bar = progressBar(task.progress);
        setChildren(stage, h('div', { class: 'rendering' },
          h('div', { class: 'rendering-art', 'aria-hidden': 'true' }, icon('film', 48)),
          h('p', { class: 'rendering-text' }, tr(task.status === 'queued' ? 'waitingQueue' : 'rendering')),
          h('div', { class: 'progress-row' }, bar, h('span', { class: 'pct' }, `${Math.round(task.progress)}%`))));
      } else {
        setProgress(bar, task.progress);
        stage.querySelector('.pct')!.textContent = `${Math.round(task.progress)}%`;
      }
    } else if (task.status === 'succeeded' && task.videoUrl) {
      if (changed || !player) {
        player = h('video', { class: 'player', controls: true, playsinline: true, preload: 'metadata', src: task.videoUrl, poster: task.thumbnailUrl ?? false });
        trAttrLabel(player, task.videoName);
        setChildren(stage, player);
      }
    } else if (task.status === 'failed') {
      setChildren(stage, h('div', { class: 'stage-msg' }, h('h2', {}, tr('errorTitle')), failureNotice(task)));
    } else if (task.status === 'expired') {
      setChildren(stage, h('div', { class: 'stage-msg' }, notice('info', h('p', {}, task.errorMessage ?? t('status_expired')))));
    }
    const row: Row = (k, v) => [h('dt', {}, t(k)), h('dd', {}, v)];
    const total = task.timings?.totalMs;
    setChildren(info,
      task.width && task.height ? row('infoSize', `${task.width} × ${task.height}`) : '',
      task.duration ? row('infoDuration', formatSeconds(task.duration)) : '',
      row('infoCreated', formatDate(task.createdAt)),
      task.finishedAt ? row('infoFinished', formatDate(task.finishedAt)) : '',
      total ? row('infoTime', formatSeconds(total / 1000)) : '',
      task.expiresAt ? row('infoExpires', formatDate(task.expiresAt)) : '',
      task.avatarId ? row('infoAvatar', String(task.avatarId)) : '',
      task.face ? row('infoFace', task.face.method === 'points' ? t('infoFacePoints') : task.face.method === 'facemesh' ? t('infoFaceMesh') : task.face.method) : '',
      ...inputRows(task, row));
    setChildren(actions,
      task.status === 'succeeded' && task.videoUrl ? downloadLink(task, 'btn btn-primary') : '',
      task.input && (task.status === 'succeeded' || task.status === 'failed') ? runAgainButton(task, task.input, message) : '',
      deleteButton(task, () => { location.hash = '#/tasks'; }, 'btn btn-ghost btn-danger-text'));
    last = task;
  }

  const poller = poll(async (signal) => {
    try {
      const task = await api.task(id, signal);
      if (signal.aborted) return false;
      setChildren(message);
      render(task);
      return isActive(task);
    } catch (err) {
      if (signal.aborted) return false;
      const d = describeError(err);
      if (d.code === 3201) { setChildren(stage, notice('warn', h('p', {}, tr('notFoundTask')))); return false; }
      setChildren(message, errorNotice(d.plain, d.detail, d.code));
      return d.code !== 3101;
    }
  }, { intervalMs: 1000, maxRounds: 3600 });
  poller.kick();
  const unsub = onLangChange(() => { if (last) render(last, true); });
  return () => { poller.stop(); unsub(); player?.pause(); };
}

function trAttrLabel(el: HTMLElement, name: string): void {
  el.setAttribute('aria-label', name);
}

type Row = (k: MsgKey, v: string) => HTMLElement[];

/** What the task was asked for: frame, speech, prompt, watermark. */
function inputRows(task: Task, row: Row): HTMLElement[][] {
  const i = task.input;
  if (!i) return [];
  const speech = i.text ? t('infoSpeechText', { text: i.text.length > 80 ? `${i.text.slice(0, 80)}…` : i.text, voice: i.voice ?? '' }) : t('infoSpeechFile');
  return [
    row('infoFrame', t(i.resizeMode === 'fixedMinSide' ? 'resizeFixed' : 'resizeAdaptive')),
    row('infoSpeech', speech),
    i.prompt ? row('infoPrompt', i.prompt) : [],
    i.watermark ? row('infoWatermark', i.watermark) : [],
  ];
}

/**
 * Creates the same task again (after a failure that may not repeat, or for another take) and
 * opens it. Inputs past their storage period are refused by the service with a clear message.
 */
function runAgainButton(task: Task, i: TaskInput, message: HTMLElement): HTMLButtonElement {
  const b = h('button', {
    type: 'button', class: 'btn btn-ghost', title: t('runAgainHint'),
    onclick: async () => {
      b.disabled = true;
      try {
        const param: CreateParam = { duration: i.duration, resizeMode: i.resizeMode };
        if (i.imageUrl) param.imageUrl = i.imageUrl;
        if (i.avatarId !== null) param.avatarId = i.avatarId;
        if (i.audioUrl) param.audioUrl = i.audioUrl;
        if (i.text) { param.text = i.text; param.voice = i.voice ?? undefined; param.speed = i.speed ?? undefined; }
        if (i.prompt) param.prompt = i.prompt;
        if (i.watermark) param.watermark = { show: true, content: i.watermark };
        if (i.facePoints) param.facePoints = i.facePoints;
        location.hash = `#/tasks/${await api.createTask(task.videoName, param)}`;
      } catch (err) {
        const d = describeError(err);
        setChildren(message, errorNotice(d.plain, d.detail, d.code));
        b.disabled = false;
      }
    },
  }, icon('refresh', 16), tr('runAgain'));
  return b;
}
