// Health, metrics and the API's own documentation.
import { TASK_STATUSES, TIMING_BUCKETS } from '../../store/ports.js';
import { checkDependencies } from '../backends.js';
import type { RouteContext } from '../context.js';
import { sendJson } from '../http.js';
import { buildOpenApi } from '../openapi.js';
import { renderDocsPage } from '../docs-page.js';

let openapi: { json: string; html: string } | null = null;
const docs = () => {
  if (!openapi) { const doc = buildOpenApi(); openapi = { json: JSON.stringify(doc, null, 2), html: renderDocsPage(doc) }; }
  return openapi;
};

/** 200 with the queue's state when every dependency answers; 503 naming the ones that do not. */
export async function health({ reply, svc }: RouteContext): Promise<void> {
  const dependencies = await checkDependencies(svc.dependencies);
  if (!Object.values(dependencies).every((d) => d.ok)) {
    sendJson(reply, 503, { status: 'unavailable', dependencies });
    return;
  }
  const [counts, waiting] = await Promise.all([svc.store.countByStatus(), svc.queue.waiting()]);
  sendJson(reply, 200, { status: 'ok', queued: waiting, processing: counts.processing, dependencies });
}

export async function metrics({ reply, svc }: RouteContext): Promise<void> {
  const [counts, waiting, active, segment, join] = await Promise.all([svc.store.countByStatus(), svc.queue.waiting(), svc.queue.active(), svc.queue.timings('segment'), svc.queue.timings('join')]);
  const perWorker = new Map<string, number>();
  for (const j of active) perWorker.set(j.worker, (perWorker.get(j.worker) ?? 0) + 1);
  const text = svc.metrics.render([
    { name: 'dh_queue_waiting', help: 'Tasks waiting for a render worker.', values: [[{}, waiting]] },
    { name: 'dh_queue_active', help: 'Tasks held by render workers, in every process sharing the queue.', values: [[{}, active.length]] },
    { name: 'dh_renders_active', help: 'Renders in flight, by worker process (host:pid); workers with none are not listed.', values: [...perWorker].sort().map(([worker, n]) => [{ worker }, n]) },
    { name: 'dh_tasks', help: 'Tasks in the store, by status.', values: TASK_STATUSES.map((s) => [{ status: s }, counts[s]]) },
    { name: 'process_resident_memory_bytes', help: 'Resident memory of the service process.', values: [[{}, process.memoryUsage().rss]] },
  ], [
    { name: 'dh_segment_seconds', help: 'Wall time of one segment of a long video, from its inputs fetched to its video stored, in every worker process sharing the queue.', bounds: TIMING_BUCKETS, value: segment },
    { name: 'dh_join_seconds', help: 'Wall time of joining a segmented video and storing the result, in every worker process sharing the queue.', bounds: TIMING_BUCKETS, value: join },
  ]);
  reply.code(200).header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(text);
}

export async function openapiJson({ reply }: RouteContext): Promise<void> {
  reply.code(200).header('content-type', 'application/json; charset=utf-8').send(docs().json);
}

export async function docsPage({ reply }: RouteContext): Promise<void> {
  reply.code(200).headers({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" }).send(docs().html);
}
