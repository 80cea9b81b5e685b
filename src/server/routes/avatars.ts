// The stored avatars (a face analysed once with isNewAvatar, reused by avatarId): list and
// delete, so a tenant can see which portraits the service keeps for them and remove them.
import { DhError } from '../../core/errors.js';
import { avatarView } from '../../tasks/view.js';
import type { RouteContext } from '../context.js';
import { jsonBody, sendOk } from '../http.js';
import { discardFiles } from './files.js';
import { AvatarDeleteBody, AvatarListQuery, parseOrThrow } from '../schemas.js';

export async function list({ reply, url, svc, tenant }: RouteContext): Promise<void> {
  const q = parseOrThrow(AvatarListQuery, Object.fromEntries(url.searchParams));
  const { items, total } = await svc.store.listAvatars(tenant, { offset: (q.page - 1) * q.pageSize, limit: q.pageSize });
  sendOk(reply, { items: items.map((a) => avatarView(a, svc.urls)), total, page: q.page, pageSize: q.pageSize });
}

/** Deletes the avatar's record, its face data and its image; tasks that named it keep their videos. */
export async function remove({ req, reply, svc, tenant }: RouteContext): Promise<void> {
  const { avatarId } = parseOrThrow(AvatarDeleteBody, jsonBody(req));
  const avatar = await svc.store.getAvatar(tenant, avatarId);
  if (!avatar) throw new DhError('AVATAR_NOT_FOUND', { avatarId });
  await svc.store.deleteAvatar(tenant, avatarId);
  await discardFiles(svc, [avatar.imageKey]);
  sendOk(reply, { avatarId, deleted: true });
}
