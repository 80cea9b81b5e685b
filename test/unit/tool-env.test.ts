// The malloc settings render processes get for Node's threads stay out of the ffmpeg they run,
// where they made every frame read a fresh mapping; settings a user gave are passed on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NODE_ONLY_ENV, toolEnv } from '../../src/adapters/ffmpeg.js';
import { RENDER_PROCESS_MALLOC, renderProcessEnv } from '../../src/worker/thread.js';

test('a render process gets the malloc settings, and its tools do not', () => {
  const env = renderProcessEnv({ PATH: '/usr/bin', HOME: '/root' });
  for (const [k, v] of Object.entries(RENDER_PROCESS_MALLOC)) assert.equal(env[k], v);
  const tool = toolEnv(env);
  assert.deepEqual(tool, { PATH: '/usr/bin', HOME: '/root' });
});

test("a user's own malloc setting wins in the render process and reaches its tools", () => {
  const env = renderProcessEnv({ PATH: '/usr/bin', MALLOC_ARENA_MAX: '4' });
  assert.equal(env.MALLOC_ARENA_MAX, '4');
  assert.equal(env[NODE_ONLY_ENV], 'MALLOC_MMAP_THRESHOLD_');
  assert.deepEqual(toolEnv(env), { PATH: '/usr/bin', MALLOC_ARENA_MAX: '4' });
});

test('without the marker a process passes its whole environment on', () => {
  const env = { PATH: '/usr/bin', MALLOC_ARENA_MAX: '2' };
  assert.deepEqual(toolEnv(env), env);
});
