// One Redis connection for the queue, checked at start: a server that is down, a wrong password
// or a bad URL stops the process with an error naming the setting, not the first task.
import { Redis } from 'ioredis';
import { DhError } from '../core/errors.js';

const CONNECT_TIMEOUT_MS = 5_000;

/** Strips a password from a URL before it appears in a message. */
export const withoutPassword = (url: string): string => url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

export async function openRedis(url: string, setting = 'DH_REDIS_URL'): Promise<Redis> {
  const shown = withoutPassword(url);
  if (!/^rediss?:\/\//.test(url)) {
    throw new DhError('BACKEND_UNAVAILABLE', { setting, target: shown, reason: 'not a Redis URL (give redis://[user:password@]host:port[/db], rediss:// for TLS)' });
  }
  // BullMQ's workers need commands to wait through a reconnect rather than fail (maxRetriesPerRequest: null).
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, connectTimeout: CONNECT_TIMEOUT_MS });
  let lastError = '';
  redis.on('error', (err: Error) => { lastError = err.message; });
  try {
    await Promise.race([
      redis.connect().then(() => redis.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error(lastError || `no answer in ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS).unref()),
    ]);
  } catch (err) {
    redis.disconnect();
    const reason = lastError || (err as Error).message;
    const auth = /WRONGPASS|NOAUTH|invalid password|invalid username/i.test(reason);
    throw new DhError('BACKEND_UNAVAILABLE', { setting, target: shown, reason: `${auth ? 'Redis refused the credentials' : 'Redis cannot be reached'} (${reason})` }, { cause: err });
  }
  return redis;
}
