// What a media key may look like, the same for every MediaStore: relative, slash-separated names.
import { invalidArgument } from '../core/errors.js';

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/**
 * The key, or an error. Keys come from our own code, but a path escape would expose a whole disk
 * (or another tenant's objects): refuse hard.
 */
export function checkMediaKey(key: string): string {
  if (!KEY.test(key) || key.includes('..')) throw invalidArgument('key', `"${key}" is not a media key`, 'Use slash-separated names of letters, digits, ".", "_" and "-".');
  return key;
}
