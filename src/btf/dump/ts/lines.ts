/**
 * The generator's output: UTF-8 bytes in TextBuffers (the module, the late
 * typedef codecs, scratch space for statements whose header depends on
 * whether there are any), with the TOO_LARGE limit enforced by the buffers.
 * Building 11 MB of module as JS strings and joining them spent most of
 * the dump in the garbage collector. The most frequent lines are written
 * in one reservation (exact, so that the limit holds to the byte) with the
 * unchecked put* writers.
 */
import { putAscii, putUint, TextBuffer } from '../../../internal/text-buffer.js';

/**
 * A buffer for `max` bytes of lines, each written with its newline. The
 * module is its lines joined with newlines, so the last newline is dropped
 * at the end (see endLines): the buffer allows one byte more than the limit.
 */
export function linesBuffer(capacity: number, max: number): TextBuffer {
  return new TextBuffer(capacity, max + 1);
}

/** Drop the newline after the last line (it is still in the buffer: a
 * streamed buffer hands over only what came before the latest append). */
export function endLines(b: TextBuffer): void {
  if (b.pos > 0) b.pos--;
}

function isAsciiString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** Append a string that may hold characters beyond ASCII, as UTF-8. */
export function putText(b: TextBuffer, s: string): void {
  if (isAsciiString(s)) b.str(s);
  else b.raw(Buffer.from(s, 'utf8'));
}

/** Append the lines of `from` (a buffer of whole lines) to `to`, in
 * pieces: a streamed buffer then hands its sink chunks of its own size,
 * not one as large as the typedef codecs of vmlinux (560 kB). */
export function putLines(to: TextBuffer, from: TextBuffer): void {
  const bytes = from.bytes();
  for (let at = 0; at < bytes.byteLength; at += PIECE) to.raw(bytes.subarray(at, Math.min(at + PIECE, bytes.byteLength)));
}

const PIECE = 1 << 16;

/** The number of decimal digits of 0 <= v < 2^32. */
export function uintDigits(v: number): number {
  let d = 1;
  while (d < 10 && v >= POW10[d]) d++;
  return d;
}

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

/** Offsets below this print with putOffsetAt (putUint's range). */
export const MAX_FAST_OFFSET = 2 ** 32;

/** Bytes of an offset `expr` or `expr + k` (k < MAX_FAST_OFFSET). */
export function offsetBytes(expr: string, k: number): number {
  return k === 0 ? expr.length : expr.length + 3 + uintDigits(k);
}

/** Write an offset at buf[p] (room reserved); returns the end. */
export function putOffsetAt(buf: Uint8Array, p: number, expr: string, k: number): number {
  p = putAscii(buf, p, expr);
  if (k === 0) return p;
  buf[p] = 32; // ' + '
  buf[p + 1] = 43;
  buf[p + 2] = 32;
  return putUint(buf, p + 3, k);
}
