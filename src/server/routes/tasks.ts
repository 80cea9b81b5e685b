// The task endpoints: the spec's create, plus detail, list and delete around it.
import { DhError } from '../../core/errors.js';
import type { TaskStatus } from '../../store/ports.js';
import { taskView } from '../../tasks/view.js';
import type { RouteContext } from '../context.js';
import { createTask } from '../create-task.js';
import { discardFiles } from './files.js';
import { jsonBody, sendOk } from '../http.js';
import { DeleteBody, DetailQuery, ListQuery, parseOrThrow } from '../schemas.js';

const query = (url: URL) => Object.fromEntries(url.searchParams);

export async function create({ req, reply, svc, tenant }: RouteContext): Promise<void> {
  sendOk(reply, await createTask(svc, tenant, jsonBody(req)));
}

export async function detail({ reply, url, svc, tenant }: RouteContext): Promise<void> {
  const { taskId } = parseOrThrow(DetailQuery, query(url));
  const task = await svc.store.getTask(tenant, taskId);
  if (!task) throw new DhError('TASK_NOT_FOUND', { taskId });
  sendOk(reply, taskView(task, svc.urls));
}

export async function list({ reply, url, svc, tenant }: RouteContext): Promise<void> {
  const q = parseOrThrow(ListQuery, query(url));
  const { items, total } = await svc.store.listTasks(tenant, {
    status: q.status ? (q.status as TaskStatus) : undefined, offset: (q.page - 1) * q.pageSize, limit: q.pageSize,
  });
  sendOk(reply, { items: items.map((t) => taskView(t, svc.urls)), total, page: q.page, pageSize: q.pageSize });
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
