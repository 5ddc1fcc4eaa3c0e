import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BpfkitError } from './errors.js';

/** Read a whole file, turning OS errors into BpfkitError('IO'). */
export function readBytes(path: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new BpfkitError('IO', `cannot read: ${(e as Error).message}`, { file: path });
  }
}

/**
 * Write a file atomically: the bytes go to a temporary file beside the target,
 * which is then renamed over it, so a crash never leaves a partial file.
 */
export function writeBytesAtomic(path: string, data: Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w', 0o644);
    let off = 0;
    while (off < data.byteLength) off += writeSync(fd, data, off, data.byteLength - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file may never have been created
    }
    throw new BpfkitError('IO', `cannot write: ${(e as Error).message}`, { file: path });
  }
}

/** Every file under `dir`, recursively, in sorted order (so that runs over
 * a corpus do not depend on the file system's order); none when `dir`
 * does not exist. */
export function listFilesRecursive(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}
