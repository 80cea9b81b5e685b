// The task endpoints: the spec's create, plus detail, list and delete around it.
import { DhError } from '../../core/errors.js';
import type { TaskStatus } from '../../store/ports.js';
import { taskView } from '../../tasks/view.js';
import type { RouteContext } from '../context.js';
import { createTask } from '../create-task.js';
import { discardFiles } from './files.js';
import { readJsonObject, sendOk } from '../http.js';
import { DeleteBody, DetailQuery, ListQuery, parseOrThrow } from '../schemas.js';

const query = (url: URL) => Object.fromEntries(url.searchParams);

export async function create({ req, res, svc }: RouteContext): Promise<void> {
  const tenant = svc.auth.tenantOf(req);
  sendOk(res, await createTask(svc, tenant, await readJsonObject(req)));
}

export async function detail({ req, res, url, svc }: RouteContext): Promise<void> {
  const tenant = svc.auth.tenantOf(req);
  const { taskId } = parseOrThrow(DetailQuery, query(url));
  const task = await svc.store.getTask(tenant, taskId);
  if (!task) throw new DhError('TASK_NOT_FOUND', { taskId });
  sendOk(res, taskView(task, svc.urls));
}

export async function list({ req, res, url, svc }: RouteContext): Promise<void> {
  const tenant = svc.auth.tenantOf(req);
  const q = parseOrThrow(ListQuery, query(url));
  const { items, total } = await svc.store.listTasks(tenant, {
    status: q.status ? (q.status as TaskStatus) : undefined, offset: (q.page - 1) * q.pageSize, limit: q.pageSize,
  });
  sendOk(res, { items: items.map((t) => taskView(t, svc.urls)), total, page: q.page, pageSize: q.pageSize });
}

export async function remove({ req, res, svc }: RouteContext): Promise<void> {
  const tenant = svc.auth.tenantOf(req);
  const { taskId } = parseOrThrow(DeleteBody, await readJsonObject(req));
  const task = await svc.store.getTask(tenant, taskId);
  if (!task) throw new DhError('TASK_NOT_FOUND', { taskId });
  svc.runner.cancel(taskId);
  await discardFiles(svc, (await svc.store.filesOfTask(taskId)).map((f) => f.key));
  await svc.store.deleteTask(tenant, taskId);
  sendOk(res, { taskId, deleted: true });
}
