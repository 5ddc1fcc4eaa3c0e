import { writeSync } from 'node:fs';

/**
 * Write all bytes to a file descriptor synchronously. stdout may be a
 * non-blocking pipe, where a write can take part of the data or fail with
 * EAGAIN; both are retried until everything is written.
 */
export function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.byteLength) {
    try {
      off += writeSync(fd, data, off, data.byteLength - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // Let the reader drain the pipe.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      if (code === 'EPIPE') return; // the reader went away (e.g. `| head`)
      throw e;
    }
  }
}

export function writeStdout(data: Uint8Array | string): void {
  writeAll(1, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
}
