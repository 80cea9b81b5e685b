// Tasks page: the list with thumbnails, status, live progress, errors, play/download/delete.
import { api, TASK_STATUSES, type Task, type TaskStatus } from '../api';
import { h, icon, setChildren } from '../dom';
import { describeError } from '../errors';
import { formatDate } from '../format';
import { onLangChange, retext, t, tr, trAttr, type MsgKey } from '../i18n';
import { errorNotice, progressBar, statusBadge } from '../ui';
import { poll } from './poll';
import { deleteButton, downloadLink, expiryChip, failureNotice, isActive, playButton } from './task-card';

const PAGE_SIZE = 12;
/** One status filter and page per visit, kept while the console is open. */
const view: { status: TaskStatus | ''; page: number } = { status: '', page: 1 };

export function tasksPage(main: HTMLElement): () => void {
  const list = h('div', { class: 'task-grid', 'aria-live': 'off' });
  const pager = h('nav', { class: 'pager' });
  trAttr(pager, 'aria-label', 'pageOf', { page: view.page, pages: 1 });
  const message = h('div', {});
  const lead = tr('tasksLeadGeneric');
  const cards = new Map<number, { json: string; el: HTMLElement }>();
  let total = 0;
  let retentionDays: number | null = null;

  const filters = h('div', { class: 'filters', role: 'radiogroup' });
  trAttr(filters, 'aria-label', 'statusFilter');
  const filterButtons = (['', ...TASK_STATUSES] as const).map((s) => {
    const b = h('button', { type: 'button', class: 'filter', role: 'radio', 'aria-checked': String(view.status === s), onclick: () => { view.status = s; view.page = 1; syncFilters(); poller.kick(); } },
      tr(s ? (`status_${s}` as MsgKey) : 'filterAll'));
    b.dataset.status = s;
    return b;
  });
  filters.append(...filterButtons);
  function syncFilters(): void {
    for (const b of filterButtons) b.setAttribute('aria-checked', String(b.dataset.status === view.status));
  }
  // Arrow keys move between the filter buttons, as in a radio group.
  filters.addEventListener('keydown', (e) => {
    const i = filterButtons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0 || (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft')) return;
    e.preventDefault();
    const next = filterButtons[(i + (e.key === 'ArrowRight' ? 1 : filterButtons.length - 1)) % filterButtons.length];
    next.focus();
    next.click();
  });

  const refreshBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', onclick: () => poller.kick() }, icon('refresh', 16), tr('refresh'));

  main.append(h('section', { class: 'page page-tasks' },
    h('header', { class: 'page-head row-between' },
      h('div', {}, h('h1', {}, tr('tasksTitle')), h('p', { class: 'lead' }, lead)),
      h('a', { class: 'btn btn-primary', href: '#/create' }, icon('plus', 16), tr('navCreate'))),
    h('div', { class: 'toolbar' }, filters, refreshBtn),
    message, list, pager));

  function card(task: Task): HTMLElement {
    const thumb = task.thumbnailUrl
      ? h('img', { src: task.thumbnailUrl, alt: '', loading: 'lazy' })
      : h('div', { class: 'thumb-empty' }, icon(task.status === 'failed' ? 'alert' : 'film', 28));
    const thumbBox = task.status === 'succeeded' && task.videoUrl
      ? h('button', { type: 'button', class: 'thumb thumb-play', tabindex: -1, 'aria-hidden': 'true', onclick: () => playButton(task).click() }, thumb, h('span', { class: 'play-badge' }, icon('play', 22)))
      : h('div', { class: 'thumb' }, thumb);
    const body: (Node | string)[] = [
      h('div', { class: 'task-head' },
        h('a', { class: 'task-name', href: `#/tasks/${task.taskId}` }, task.videoName),
        statusBadge(task.status)),
      h('p', { class: 'task-meta muted' }, `#${task.taskId} · `, t('created', { t: formatDate(task.createdAt) })),
    ];
    if (isActive(task)) {
      body.push(h('div', { class: 'progress-row' }, progressBar(task.progress), h('span', { class: 'pct' }, `${Math.round(task.progress)}%`)));
    }
    if (task.status === 'failed') body.push(failureNotice(task));
    const actions: (Node | string)[] = [];
    if (task.status === 'succeeded' && task.videoUrl) actions.push(playButton(task), downloadLink(task));
    actions.push(deleteButton(task, () => poller.kick()));
    body.push(h('div', { class: 'task-foot' }, expiryChip(task), h('div', { class: 'actions' }, ...actions)));
    const el = h('article', { class: `task-card status-${task.status}`, 'data-task-id': task.taskId }, thumbBox, h('div', { class: 'task-body' }, ...body));
    return el;
  }

  /** Updates the list in place: unchanged cards (and whatever has focus in them) stay. */
  function renderList(items: Task[]): void {
    const seen = new Set<number>();
    const nodes: HTMLElement[] = [];
    for (const task of items) {
      seen.add(task.taskId);
      const json = JSON.stringify(task);
      let entry = cards.get(task.taskId);
      if (!entry || entry.json !== json) {
        const el = card(task);
        if (entry && entry.el.contains(document.activeElement)) {
          const cls = (document.activeElement as HTMLElement).className;
          queueMicrotask(() => (el.querySelector(`[class="${cls}"]`) as HTMLElement | null)?.focus());
        }
        entry?.el.replaceWith(el);
        entry = { json, el };
        cards.set(task.taskId, entry);
      }
      nodes.push(entry.el);
    }
    for (const [id, entry] of cards) if (!seen.has(id)) { entry.el.remove(); cards.delete(id); }
    // Re-order only when needed, so nothing moves under the user's pointer.
    if (nodes.some((n, i) => list.children[i] !== n)) list.replaceChildren(...nodes);
    if (items.length === 0) {
      setChildren(list, h('div', { class: 'empty card' }, icon('film', 40), h('p', {}, tr('noTasks')), h('a', { class: 'btn btn-primary', href: '#/create' }, icon('plus', 16), tr('noTasksCta'))));
      cards.clear();
    }
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (pages <= 1) { setChildren(pager); return; }
    trAttr(pager, 'aria-label', 'pageOf', { page: view.page, pages });
    const prev = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', disabled: view.page <= 1, onclick: () => { view.page--; poller.kick(); } }, tr('prev'));
    const next = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', disabled: view.page >= pages, onclick: () => { view.page++; poller.kick(); } }, tr('next'));
    setChildren(pager, prev, h('span', { class: 'muted' }, t('pageOf', { page: view.page, pages })), next);
  }

  let nextInterval = 1500;
  const poller = poll(async (signal) => {
    try {
      const page = await api.tasks(view.page, PAGE_SIZE, view.status || undefined, signal);
      if (signal.aborted) return false;
      total = page.total;
      if (page.items.length === 0 && view.page > 1) { view.page--; return true; }
      setChildren(message);
      renderList(page.items);
      const done = page.items.find((x) => x.finishedAt && x.expiresAt);
      if (done && retentionDays === null) {
        retentionDays = Math.round((new Date(done.expiresAt!).getTime() - new Date(done.finishedAt!).getTime()) / 86_400_000);
        if (retentionDays > 0) retext(lead, 'tasksLead', { days: retentionDays });
      }
      // Fast while something is being made, slow otherwise (another tab may add tasks).
      nextInterval = page.items.some(isActive) ? 1500 : 10_000;
      return true;
    } catch (err) {
      if (signal.aborted) return false;
      const d = describeError(err);
      setChildren(message, errorNotice(d.plain, d.detail, d.code));
      return d.code !== 3101;
    }
  }, { intervalMs: 1500, maxRounds: 2400, interval: () => nextInterval });
  poller.kick();
  const unsub = onLangChange(() => { for (const e of cards.values()) e.json = ''; poller.kick(); });
  return () => { poller.stop(); unsub(); };
}
