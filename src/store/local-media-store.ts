// MediaStore on a local folder. Writes go to a temporary name and are renamed, so a reader never
// sees half a file and a crash leaves only `.partial` debris behind.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { invalidArgument } from '../core/errors.js';
import type { MediaStore } from './ports.js';

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

export function createLocalMediaStore(root: string): MediaStore {
  const resolve = (key: string): string => {
    // Keys come from our own code, but a path escape here would expose the whole disk: refuse hard.
    if (!KEY.test(key) || key.includes('..')) throw invalidArgument('key', `"${key}" is not a media key`, 'Use slash-separated names of letters, digits, ".", "_" and "-".');
    return path.join(root, ...key.split('/'));
  };
  const prepare = async (key: string): Promise<string> => {
    const file = resolve(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    return file;
  };
  return {
    async put(key, data) {
      const file = await prepare(key);
      const tmp = `${file}.${process.pid}.partial`;
      await fs.writeFile(tmp, data);
      await fs.rename(tmp, file);
    },
    async putFile(key, source) {
      const file = await prepare(key);
      try {
        await fs.rename(source, file);
      } catch (err) {
        // Scratch space on another file system: copy, then swap in atomically.
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        const tmp = `${file}.${process.pid}.partial`;
        await fs.copyFile(source, tmp);
        await fs.rename(tmp, file);
        await fs.rm(source, { force: true });
      }
    },
    async size(key) {
      try {
        const st = await fs.stat(resolve(key));
        return st.isFile() ? st.size : null;
      } catch {
        return null;
      }
    },
    async read(key, range) {
      const file = resolve(key);
      await fs.access(file);
      return createReadStream(file, range ? { start: range.start, end: range.end } : {});
    },
    async localPath(key) {
      const file = resolve(key);
      await fs.access(file);
      return file;
    },
    async remove(key) {
      await fs.rm(resolve(key), { force: true });
    },
  };
}
