// Pieces shared by the task list and the task detail page.
import { api, type Task } from '../api';
import { h, icon } from '../dom';
import { plainReason } from '../errors';
import { daysLeft, daysLeftText } from '../format';
import { t, tr } from '../i18n';
import { confirmDialog, errorNotice, fileName, toast, videoDialog } from '../ui';

export const isActive = (task: Task): boolean => task.status === 'queued' || task.status === 'processing';

export function failureNotice(task: Task): HTMLElement {
  return errorNotice(plainReason(task.errorCode, task.errorMessage), task.errorMessage, task.errorCode);
}

export function expiryChip(task: Task): HTMLElement | '' {
  if (task.status === 'expired') return h('span', { class: 'chip chip-muted' }, icon('clock', 14), tr('expiredOn'));
  if (task.status !== 'succeeded') return '';
  const n = daysLeft(task.expiresAt);
  if (n === null) return '';
  return h('span', { class: `chip${n <= 1 ? ' chip-warn' : ''}`, title: task.expiresAt ?? '' }, icon('clock', 14), daysLeftText(n));
}

export function playButton(task: Task, cls = 'btn btn-secondary btn-sm'): HTMLButtonElement {
  return h('button', { type: 'button', class: cls, onclick: () => videoDialog(task.videoUrl!, task.videoName, fileName(task.videoName, 'mp4')) },
    icon('play', 16), tr('play'));
}

export function downloadLink(task: Task, cls = 'btn btn-ghost btn-sm'): HTMLAnchorElement {
  return h('a', { class: cls, href: task.videoUrl!, download: fileName(task.videoName, 'mp4') }, icon('download', 16), tr('download'));
}

/** Delete with a confirmation; resolves true when the task is gone. */
export async function deleteTask(task: Task): Promise<boolean> {
  if (!(await confirmDialog('deleteConfirmTitle', t('deleteConfirm', { name: task.videoName }), 'delete'))) return false;
  try {
    await api.deleteTask(task.taskId);
    toast(t('deleted'));
    return true;
  } catch (err) {
    toast(plainReason((err as { code?: number }).code, (err as Error).message), 'error');
    return false;
  }
}

export function deleteButton(task: Task, after: () => void, cls = 'btn btn-ghost btn-sm btn-danger-text'): HTMLButtonElement {
  const b = h('button', { type: 'button', class: cls, onclick: async () => { if (await deleteTask(task)) after(); } }, icon('trash', 16), tr('delete'));
  return b;
}
