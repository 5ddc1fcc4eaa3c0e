/**
 * The generator's output: UTF-8 bytes in TextBuffers (the module, the late
 * typedef codecs, scratch space for statements whose header depends on
 * whether there are any), with the TOO_LARGE limit enforced by the buffers.
 * Building 11 MB of module as JS strings and joining them spent most of
 * the dump in the garbage collector.
 */
import { TextBuffer } from '../../../internal/text-buffer.js';

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

/** Append the lines of `from` (a buffer of whole lines) to `to`. */
export function putLines(to: TextBuffer, from: TextBuffer): void {
  to.raw(from.bytes());
}
