// MediaStore on a local folder. Writes go to a temporary name and are renamed, so a reader never
// sees half a file and a crash leaves only `.partial` debris behind.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { checkMediaKey } from './media-key.js';
import type { MediaStore } from './ports.js';

export function createLocalMediaStore(root: string): MediaStore {
  const resolve = (key: string): string => path.join(root, ...checkMediaKey(key).split('/'));
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
    async download(key, dest) {
      const file = resolve(key);
      await fs.rm(dest, { force: true });
      try {
        await fs.link(file, dest);
      } catch (err) {
        // Scratch on another file system: a copy.
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        await fs.copyFile(file, dest);
      }
    },
    async remove(key) {
      await fs.rm(resolve(key), { force: true });
    },
  };
}
