// Messages between the service and its worker threads (structured-clone safe shapes only).
import type { ErrorId } from '../core/errors.js';
import type { RenderJob } from './render-job.js';

export type ThreadWork =
  | { readonly kind: 'render'; readonly job: RenderJob }
  | { readonly kind: 'synthesize'; readonly text: string; readonly voice: string; readonly speed?: number; readonly output: string }
  | { readonly kind: 'voices' };

export type ThreadRequest =
  | { readonly type: 'run'; readonly id: number; readonly work: ThreadWork }
  | { readonly type: 'cancel'; readonly id: number };

export type ThreadReply =
  | { readonly type: 'progress'; readonly id: number; readonly percent: number }
  | { readonly type: 'done'; readonly id: number; readonly value: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly error: { id: ErrorId; details: Record<string, string | number | undefined>; message: string } };
