import { BpfkitError } from './errors.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A bounds-checked cursor over bytes. The byte order is a run-time property
 * of each reader because BPF objects come in both orders and the order is only
 * known after reading a magic number.
 *
 * Every read checks bounds and throws a TRUNCATED BpfkitError carrying the
 * offset, so parsers never see garbage past the end of their input.
 */
export class Reader {
  readonly view: DataView;
  readonly bytes: Uint8Array;
  readonly littleEndian: boolean;
  /** Offset of this reader's first byte in the enclosing file (for errors). */
  readonly base: number;
  pos = 0;

  constructor(bytes: Uint8Array, littleEndian: boolean, base = 0) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.littleEndian = littleEndian;
    this.base = base;
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  get remaining(): number {
    return this.bytes.byteLength - this.pos;
  }

  /** Throws unless `n` bytes are available at `at` (defaults to the cursor). */
  need(n: number, at = this.pos, what = 'data'): void {
    if (!(n >= 0) || at < 0 || at + n > this.bytes.byteLength) {
      throw new BpfkitError(
        'TRUNCATED',
        `${what} needs ${n} bytes at 0x${(this.base + at).toString(16)} but the input ends at 0x${(this.base + this.bytes.byteLength).toString(16)}`,
        { offset: this.base + at },
      );
    }
  }

  seek(pos: number): this {
    if (pos < 0 || pos > this.bytes.byteLength) this.need(0, pos, 'seek');
    this.pos = pos;
    return this;
  }

  skip(n: number): this {
    this.need(n);
    this.pos += n;
    return this;
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, this.littleEndian);
    this.pos += 8;
    return v;
  }

  /**
   * A 64-bit field that must fit a JavaScript number (file offsets, sizes).
   * Anything above 2^53 cannot describe bytes of an in-memory input, so it is
   * reported as out of range instead of silently losing precision.
   */
  u64n(what = 'value'): number {
    const at = this.pos;
    const v = this.u64();
    if (v > MAX_SAFE) {
      throw new BpfkitError('OUT_OF_RANGE', `${what} 0x${v.toString(16)} is beyond any possible input size`, {
        offset: this.base + at,
      });
    }
    return Number(v);
  }

  /** A view (not a copy) of the next `n` bytes. */
  bytesView(n: number, what = 'data'): Uint8Array {
    this.need(n, this.pos, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A new reader over [at, at+n) of this one, same byte order. */
  sub(at: number, n: number, what = 'data'): Reader {
    this.need(n, at, what);
    return new Reader(this.bytes.subarray(at, at + n), this.littleEndian, this.base + at);
  }

  // Absolute-offset accessors for hot loops that index without moving the cursor.
  u32At(at: number): number {
    this.need(4, at);
    return this.view.getUint32(at, this.littleEndian);
  }
}
