/**
 * A growable little- or big-endian byte buffer. The counterpart of Reader:
 * encoders write through it so that the byte order is decided once per file.
 */
export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  readonly littleEndian: boolean;
  pos = 0;
  /** High-water mark: the number of meaningful bytes. */
  private end = 0;

  constructor(littleEndian: boolean, initialCapacity = 4096) {
    this.littleEndian = littleEndian;
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.end;
  }

  private ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.byteLength) return;
    let cap = this.buf.byteLength * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.end));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private advance(n: number): void {
    this.pos += n;
    if (this.pos > this.end) this.end = this.pos;
  }

  seek(pos: number): this {
    if (pos > this.end) {
      // Seeking past the end zero-fills: the gap becomes padding.
      this.pos = this.end;
      this.zeros(pos - this.end);
    }
    this.pos = pos;
    return this;
  }

  u8(v: number): this {
    this.ensure(1);
    this.view.setUint8(this.pos, v);
    this.advance(1);
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.pos, v, this.littleEndian);
    this.advance(2);
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0, this.littleEndian);
    this.advance(4);
    return this;
  }

  i32(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.pos, v | 0, this.littleEndian);
    this.advance(4);
    return this;
  }

  u64(v: bigint | number): this {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt(v), this.littleEndian);
    this.advance(8);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.ensure(b.byteLength);
    this.buf.set(b, this.pos);
    this.advance(b.byteLength);
    return this;
  }

  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.advance(n);
    return this;
  }

  /** Pad with zeros until the position is a multiple of `alignment`. */
  align(alignment: number): this {
    if (alignment > 1) {
      const rem = this.pos % alignment;
      if (rem !== 0) this.zeros(alignment - rem);
    }
    return this;
  }

  /** The written bytes (a copy sized exactly). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.end);
  }
}
