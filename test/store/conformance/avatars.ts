// The avatar section of the task store (AvatarSection in src/store/ports.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type TaskStore } from '../../../src/store/ports.js';

export function avatarSectionConformance(name: string, open: () => Promise<TaskStore>): void {
  test(`${name} avatars: tenants see only their own; pages newest first; deletion`, async () => {
    const s = await open();
    const av = await s.createAvatar({ tenant: 't1', imageKey: 'k/img', face: null, createdAt: 5 });
    assert.equal(await s.getAvatar('t2', av.id), null);
    assert.deepEqual(await s.getAvatar('t1', av.id), { id: av.id, tenant: 't1', imageKey: 'k/img', face: null, createdAt: 5 });
    const av2 = await s.createAvatar({ tenant: 't1', imageKey: 'k/img2', face: null, createdAt: 6 });
    assert.ok(av2.id > av.id);
    assert.deepEqual((await s.listAvatars('t1', { offset: 0, limit: 10 })).items.map((x) => x.id), [av2.id, av.id], 'newest first');
    assert.deepEqual(await s.listAvatars('t1', { offset: 1, limit: 1 }).then((r) => [r.items.map((x) => x.id), r.total]), [[av.id], 2]);
    assert.equal((await s.listAvatars('t2', { offset: 0, limit: 10 })).total, 0);
    assert.equal(await s.deleteAvatar('t2', av.id), false);
    assert.equal(await s.deleteAvatar('t1', av.id), true);
    assert.equal(await s.getAvatar('t1', av.id), null);
    assert.equal((await s.listAvatars('t1', { offset: 0, limit: 10 })).total, 1);
    await s.close();
  });

  test(`${name} avatars: every face of the image reads back in order, bit for bit`, async () => {
    const s = await open();
    const left = { points: new Float32Array([1.5, Math.PI, -0.1]), box: { x: 1, y: 2, width: 3, height: 4 }, score: 0.75, method: 'facemesh' as const };
    const right = { points: new Float32Array([1e-7, 2.25]), box: { x: 10, y: 2, width: 3, height: 4 }, score: 0.5, method: 'cat-cascade' as const, animal: true };
    const av = await s.createAvatar({ tenant: 't', imageKey: 'img', face: left, faces: [left, right], createdAt: 1 });
    assert.deepEqual((await s.getAvatar('t', av.id))!.faces, [left, right]);
    assert.deepEqual((await s.listAvatars('t', { offset: 0, limit: 1 })).items[0].faces, [left, right]);
    // Stored without faces (one marked face, or from before faces were kept): none read back.
    const one = await s.createAvatar({ tenant: 't', imageKey: 'img2', face: left, createdAt: 2 });
    assert.equal('faces' in (await s.getAvatar('t', one.id))!, false);
    await s.close();
  });

  test(`${name} avatars: faces read back bit for bit, with their method, animal mark and style`, async () => {
    const s = await open();
    const points = new Float32Array([1.5, 2.25, Math.PI, -0.1, 1e-7]);
    const av = await s.createAvatar({ tenant: 't', imageKey: 'img', face: { points, box: { x: 1, y: 2, width: 3, height: 4 }, score: 0.5 }, createdAt: 1 });
    const face = (await s.getAvatar('t', av.id))!.face!;
    assert.deepEqual([face.points, face.box, face.score, face.method], [points, { x: 1, y: 2, width: 3, height: 4 }, 0.5, 'facemesh'], 'no method stored reads as facemesh');
    const marked = await s.createAvatar({ tenant: 't', imageKey: 'img2', face: { points: new Float32Array([3, 4]), box: { x: 0, y: 0, width: 9, height: 9 }, score: 1, method: 'points' }, createdAt: 2 });
    assert.equal((await s.getAvatar('t', marked.id))!.face!.method, 'points');
    const dog = await s.createAvatar({ tenant: 't', imageKey: 'img3', face: { points: new Float32Array([3, 4]), box: { x: 0, y: 0, width: 9, height: 9 }, score: 0.9, animal: true }, createdAt: 3 });
    assert.equal((await s.getAvatar('t', dog.id))!.face!.animal, true, 'an animal\'s face stays an animal\'s');
    assert.equal((await s.getAvatar('t', marked.id))!.face!.animal, undefined);
    const drawn = await s.createAvatar({ tenant: 't', imageKey: 'img4', face: { points: new Float32Array([3, 4]), box: { x: 0, y: 0, width: 9, height: 9 }, score: 0.9, style: 'drawing' }, createdAt: 4 });
    assert.equal((await s.getAvatar('t', drawn.id))!.face!.style, 'drawing', 'the style a task gave its face stays with the avatar');
    assert.equal((await s.getAvatar('t', marked.id))!.face!.style, undefined);
    assert.deepEqual((await s.listAvatars('t', { offset: 0, limit: 1 })).items[0].face!.points, new Float32Array([3, 4]), 'lists carry faces too');
    await s.close();
  });
}
