/**
 * An append-only Latin-1 text buffer for large dumps (12 MB for vmlinux).
 * Building such output as JS strings spends most of its time in the garbage
 * collector; writing bytes into one growing array does not, and names can be
 * copied straight from a string table without decoding them.
 */
import { BpfkitError } from './errors.js';

const POW10 = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000];

/** \b \t \n (11: none) \f \r as the letter after the backslash. */
const JSON_ESCAPE_LETTER: Record<number, number> = { 8: 98, 9: 116, 10: 110, 12: 102, 13: 114 };

export class TextBuffer {
  private buf: Uint8Array;
  pos = 0;
  /** The most bytes the text may hold; appending more throws TOO_LARGE. */
  readonly maxBytes: number;
  /** Where full chunks go when the text is streamed (see `stream`). */
  private sink: ((chunk: Uint8Array) => void) | undefined;
  /** Bytes already handed to the sink. */
  private flushed = 0;

  /**
   * `maxBytes` bounds the output (default: unbounded): an append that would
   * take the text past it throws `BpfkitError('TOO_LARGE')`, and the buffer
   * never allocates more than that.
   */
  constructor(initialCapacity = 1 << 16, maxBytes = Infinity) {
    if (!(maxBytes >= 0)) throw new RangeError(`TextBuffer maxBytes must be >= 0, got ${maxBytes}`);
    this.maxBytes = maxBytes;
    this.buf = new Uint8Array(Math.max(1, Math.min(initialCapacity, maxBytes)));
  }

  /**
   * Stream the text: whenever the buffer is full its contents go to `sink`
   * (synchronously, as a view valid only during the call) and the buffer
   * starts over, so a large dump never holds its whole output. `finish`
   * hands over the rest. The buffer is cut to `chunkBytes` if larger.
   */
  stream(sink: (chunk: Uint8Array) => void, chunkBytes = 1 << 18): this {
    this.sink = sink;
    if (this.pos === 0 && this.buf.byteLength > chunkBytes) this.buf = new Uint8Array(chunkBytes);
    return this;
  }

  /** Total bytes of text (handed to the sink and still buffered). */
  get length(): number {
    return this.flushed + this.pos;
  }

  /** Hand what is buffered to the sink (no-op when not streaming). */
  finish(): void {
    if (this.sink !== undefined && this.pos > 0) {
      this.sink(this.buf.subarray(0, this.pos));
      this.flushed += this.pos;
      this.pos = 0;
    }
  }

  /** Make room for n more bytes (n exact: the text will hold pos + n). */
  private grow(n: number): void {
    if (this.flushed + this.pos + n > this.maxBytes) {
      throw new BpfkitError('TOO_LARGE', `output exceeds the limit of ${this.maxBytes} bytes`);
    }
    if (this.sink !== undefined && this.pos > 0) {
      this.finish();
      // The buffer must not hold more than the limit leaves: appends that
      // fit in it are not checked.
      const room = this.maxBytes - this.flushed;
      if (n <= this.buf.byteLength && this.buf.byteLength <= room) return;
      this.buf = new Uint8Array(Math.max(n, Math.min(this.buf.byteLength, room)));
      return;
    }
    const need = this.pos + n;
    let cap = Math.max(1, this.buf.byteLength * 2);
    while (cap < need) cap *= 2;
    if (cap > this.maxBytes) cap = Math.max(need, this.maxBytes - this.flushed);
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /**
   * Make room for n more bytes and return the backing array, for writers
   * that fill it directly (the put* functions below) and then set `pos`.
   * The array is valid until the next append.
   */
  reserve(n: number): Uint8Array {
    if (this.pos + n > this.buf.byteLength) this.grow(n);
    return this.buf;
  }

  /** Append a newline and lvl tabs. */
  nlTabs(lvl: number): this {
    if (this.pos + 1 + lvl > this.buf.byteLength) this.grow(1 + lvl);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 10;
    for (let i = 0; i < lvl; i++) b[p++] = 9;
    this.pos = p;
    return this;
  }

  /** Append a string whose characters are all < 256. */
  str(s: string): this {
    const n = s.length;
    if (this.pos + n > this.buf.byteLength) this.grow(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
    return this;
  }

  /** Append pre-encoded bytes. */
  raw(bytes: Uint8Array): this {
    const n = bytes.byteLength;
    if (this.pos + n > this.buf.byteLength) this.grow(n);
    this.buf.set(bytes, this.pos);
    this.pos += n;
    return this;
  }

  byte(c: number): this {
    if (this.pos + 1 > this.buf.byteLength) this.grow(1);
    this.buf[this.pos++] = c;
    return this;
  }

  /** Append the NUL-terminated string at `off` in `table` (without the NUL). */
  cstr(table: Uint8Array, off: number): this {
    // The end is found by the native indexOf, then the bytes are copied
    // with no check per byte: twice as fast, cold, as checking each byte
    // for the NUL and for room (names are short; subarray+set allocates).
    let end = table.indexOf(0, off);
    if (end < 0) end = table.length;
    const n = end - off;
    if (n <= 0) return this;
    if (this.pos + n > this.buf.byteLength) this.grow(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = off; i < end; i++) b[p++] = table[i];
    this.pos = p;
    return this;
  }

  /**
   * Append the NUL-terminated string at `off` as a JSON string body the way
   * bpftool's json_writer escapes it: only `"`, `\\`, and \b \f \n \r \t;
   * every other byte is copied as is.
   */
  cstrJson(table: Uint8Array, off: number): this {
    let end = table.indexOf(0, off);
    if (end < 0) end = table.byteLength;
    // Room for exactly the escaped text, so the output limit is met to the byte.
    let n = 0;
    for (let i = off; i < end; i++) n += jsonEscaped(table[i]) ? 2 : 1;
    const b = this.reserve(n);
    this.pos = putCstrJson(b, this.pos, table, off);
    return this;
  }

  /** Append an integer that fits a double exactly. */
  int(v: number): this {
    if (this.pos + 24 > this.buf.byteLength) {
      // Near the limit, reserve only what the digits need.
      if (this.flushed + this.pos + 24 > this.maxBytes) return this.str(String(v));
      this.grow(24);
    }
    const b = this.buf;
    if (v < 0) {
      b[this.pos++] = 45; // '-'
      v = -v;
    }
    if (v < 10) {
      b[this.pos++] = 48 + v;
      return this;
    }
    if (v < 0x80000000) {
      // Small-integer arithmetic: most numbers here are ids and offsets.
      let digits = v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : v < 1000000 ? 6 : 10;
      if (digits === 10) for (digits = 7; digits < 10 && v >= POW10[digits]; digits++);
      let p = this.pos + digits;
      this.pos = p;
      while (v >= 10) {
        const q = (v / 10) | 0;
        b[--p] = 48 + v - q * 10;
        v = q;
      }
      b[--p] = 48 + v;
      return this;
    }
    return this.str(String(v));
  }

  /** The text so far (a view, valid until the next append). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  toString(): string {
    return Buffer.from(this.buf.buffer, 0, this.pos).toString('latin1');
  }
}

/*
 * Unchecked writers for hot loops. Each writes at b[p...] and returns the
 * position after what it wrote; the caller has made room with
 * TextBuffer.reserve. A dump calls them millions of times, mostly before
 * V8 optimises anything, so they take no `this` and check no capacity.
 */

/** Write a string whose characters are all < 256. */
export function putAscii(b: Uint8Array, p: number, s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) b[p + i] = s.charCodeAt(i);
  return p + n;
}

/** Write an integer 0 <= v < 2^32 in decimal (at most 10 bytes). */
export function putUint(b: Uint8Array, p: number, v: number): number {
  // The digit count comes from one comparison site in a loop, not a chain
  // of ternaries: a comparison first reached by a large number after V8
  // optimised this function would have no feedback and deoptimise it.
  let digits = 1;
  while (digits < 10 && v >= POW10[digits]) digits++;
  const end = p + digits;
  let q = end;
  while (v >= 10) {
    const d = Math.floor(v / 10);
    b[--q] = 48 + v - d * 10;
    v = d;
  }
  b[--q] = 48 + v;
  return end;
}

/** Write a 32-bit signed integer in decimal (at most 11 bytes). */
export function putInt32(b: Uint8Array, p: number, v: number): number {
  if (v < 0) {
    b[p] = 45; // '-'
    return putUint(b, p + 1, -v);
  }
  return putUint(b, p, v);
}

/** Write the NUL-terminated string at `off` in `table` (without the NUL);
 * the caller has reserved longestString(table) bytes. */
export function putCstr(b: Uint8Array, p: number, table: Uint8Array, off: number): number {
  // See TextBuffer.cstr: the native indexOf finds the end faster than a
  // test per byte does in code V8 has not optimised.
  let end = table.indexOf(0, off);
  if (end < 0) end = table.length;
  for (let i = off; i < end; i++) b[p++] = table[i];
  return p;
}

/** putCstr escaped as TextBuffer.cstrJson escapes (twice the room). */
export function putCstrJson(b: Uint8Array, p: number, table: Uint8Array, off: number): number {
  const end = table.length;
  for (let i = off; i < end; i++) {
    const c = table[i];
    if (c === 0) break;
    if (c === 34 || c === 92) {
      b[p++] = 92;
      b[p++] = c;
    } else if (c < 14 && c >= 8 && c !== 11) {
      b[p++] = 92;
      b[p++] = JSON_ESCAPE_LETTER[c];
    } else {
      b[p++] = c;
    }
  }
  return p;
}

/** Whether bpftool's json_writer writes byte c as a two-byte escape:
 * `"`, `\\`, and \b \f \n \r \t. */
function jsonEscaped(c: number): boolean {
  return c === 34 || c === 92 || (c < 14 && c >= 8 && c !== 11);
}

/** The length of the longest NUL-terminated string in a table (a string
 * running to the end of the table counts to the end). */
export function longestString(table: Uint8Array): number {
  let longest = 0;
  let start = 0;
  const n = table.length;
  for (let i = 0; i < n; i++) {
    if (table[i] === 0) {
      const len = i - start;
      longest = len > longest ? len : longest;
      start = i + 1;
    }
  }
  return n - start > longest ? n - start : longest;
}

// One call with a value above 2^31 (not a small integer to V8) before any
// dump runs: otherwise the first such value, met after V8 has optimised
// putUint on small ones, throws the optimised code away.
putUint(new Uint8Array(10), 0, 4294967295);
