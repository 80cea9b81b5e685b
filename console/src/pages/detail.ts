// Task detail: live progress while it renders, then the video (seekable: the service answers
// Range requests), download, expiry, or the failure in plain words.
import { api, type Task } from '../api';
import { h, icon, setChildren } from '../dom';
import { describeError } from '../errors';
import { formatDate, formatSeconds } from '../format';
import { onLangChange, t, tr } from '../i18n';
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
    const row = (k: Parameters<typeof t>[0], v: string) => [h('dt', {}, t(k)), h('dd', {}, v)];
    const total = task.timings?.totalMs;
    setChildren(info,
      task.width && task.height ? row('infoSize', `${task.width} × ${task.height}`) : '',
      task.duration ? row('infoDuration', formatSeconds(task.duration)) : '',
      row('infoCreated', formatDate(task.createdAt)),
      task.finishedAt ? row('infoFinished', formatDate(task.finishedAt)) : '',
      total ? row('infoTime', formatSeconds(total / 1000)) : '',
      task.expiresAt ? row('infoExpires', formatDate(task.expiresAt)) : '',
      task.avatarId ? row('infoAvatar', String(task.avatarId)) : '');
    setChildren(actions,
      task.status === 'succeeded' && task.videoUrl ? downloadLink(task, 'btn btn-primary') : '',
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
