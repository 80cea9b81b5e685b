// The task endpoints: the spec's create, plus detail, list and delete around it.
import { DhError } from '../../core/errors.js';
import type { TaskRecord, TaskStatus } from '../../store/ports.js';
import { taskView } from '../../tasks/view.js';
import type { RouteContext, Service } from '../context.js';
import { createTask } from '../create-task.js';
import { discardFiles } from './files.js';
import { jsonBody, sendOk } from '../http.js';
import { DeleteBody, DetailQuery, ListQuery, parseOrThrow } from '../schemas.js';

const query = (url: URL) => Object.fromEntries(url.searchParams);

/**
 * Tasks with the progress of their renders in flight, which the renders report through the queue
 * (from whichever process runs them) rather than writing to the task store at every percent.
 */
async function withLiveProgress(svc: Service, tasks: TaskRecord[]): Promise<TaskRecord[]> {
  if (!tasks.some((t) => t.status === 'processing')) return tasks;
  // A task rendered in segments has its progress in the store (the mean of its segments'); a
  // whole render's is live in the queue.
  const live = new Map((await svc.queue.active()).filter((j) => j.segment === undefined).map((j) => [j.taskId, j.progress]));
  return tasks.map((t) => (t.status === 'processing' && live.has(t.id) ? { ...t, progress: Math.floor(live.get(t.id)!) } : t));
}

export async function create({ req, reply, svc, tenant }: RouteContext): Promise<void> {
  sendOk(reply, await createTask(svc, tenant, jsonBody(req)));
}

export async function detail({ reply, url, svc, tenant }: RouteContext): Promise<void> {
  const { taskId } = parseOrThrow(DetailQuery, query(url));
  const task = await svc.store.getTask(tenant, taskId);
  if (!task) throw new DhError('TASK_NOT_FOUND', { taskId });
  sendOk(reply, taskView((await withLiveProgress(svc, [task]))[0], svc.urls));
}

export async function list({ reply, url, svc, tenant }: RouteContext): Promise<void> {
  const q = parseOrThrow(ListQuery, query(url));
  const { items, total } = await svc.store.listTasks(tenant, {
    status: q.status ? (q.status as TaskStatus) : undefined, offset: (q.page - 1) * q.pageSize, limit: q.pageSize,
  });
  sendOk(reply, { items: (await withLiveProgress(svc, items)).map((t) => taskView(t, svc.urls)), total, page: q.page, pageSize: q.pageSize });
}

export async function remove({ req, reply, svc, tenant }: RouteContext): Promise<void> {
  const { taskId } = parseOrThrow(DeleteBody, jsonBody(req));
  const task = await svc.store.getTask(tenant, taskId);
  if (!task) throw new DhError('TASK_NOT_FOUND', { taskId });
  svc.runner.cancel(taskId);
  await discardFiles(svc, (await svc.store.filesOfTask(taskId)).map((f) => f.key));
  await svc.store.deleteTask(tenant, taskId);
  sendOk(reply, { taskId, deleted: true });
}
