import type { TypeTable } from './table.js';

/**
 * How many times each name has been used in one C namespace, keyed by the
 * name's bytes in the string table: an open-addressing table over string
 * offsets, so counting the 100k+ names of vmlinux creates no JS strings.
 *
 * Two words per slot (key, count), no stored hash: a probe compares bytes,
 * and different names almost always differ in their first byte. Storing
 * the hash too cost 0.25 MB for vmlinux and saved nothing measurable.
 */
export class NameCounter {
  private keys: Int32Array; // offset + 1; 0 = empty slot
  private counts: Int32Array;
  private used = 0;

  /**
   * `expected` bounds how many distinct names will be counted: the table is
   * sized for it up front at most 3/4 full, so a real dump never grows it
   * (a first growth in the middle of the dump would reach code V8 compiled
   * without it and deoptimise every function that inlined bump()).
   */
  constructor(
    private readonly t: TypeTable,
    expected: number,
  ) {
    let cap = 16;
    while (cap < 1 << 30 && cap * 3 < expected * 4) cap *= 2;
    this.keys = new Int32Array(cap);
    this.counts = new Int32Array(cap);
  }

  /** Count one more use of the name at `off`; returns the new count. */
  bump(off: number): number {
    const buf = this.t.strs;
    const mask = this.keys.length - 1;
    for (let i = hashName(buf, off) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === 0) {
        this.keys[i] = off + 1;
        this.counts[i] = 1;
        if (++this.used * 4 > this.keys.length * 3) this.grow();
        return 1;
      }
      if (sameName(buf, k - 1, off)) return ++this.counts[i];
    }
  }

  private grow(): void {
    const { keys, counts } = this;
    const cap = keys.length * 2;
    this.keys = new Int32Array(cap);
    this.counts = new Int32Array(cap);
    const mask = cap - 1;
    const buf = this.t.strs;
    for (let j = 0; j < keys.length; j++) {
      if (keys[j] === 0) continue;
      let i = hashName(buf, keys[j] - 1) & mask;
      while (this.keys[i] !== 0) i = (i + 1) & mask;
      this.keys[i] = keys[j];
      this.counts[i] = counts[j];
    }
  }
}

/** FNV-1a over the NUL-terminated string at off. */
function hashName(buf: Uint8Array, off: number): number {
  let h = 0x811c9dc5 | 0;
  for (let e = off, n = buf.length; e < n; e++) {
    const c = buf[e];
    if (c === 0) break;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h;
}

/** Whether the NUL-terminated strings at offsets a and b are equal. */
function sameName(buf: Uint8Array, a: number, b: number): boolean {
  if (a === b) return true;
  for (let n = buf.length; ; a++, b++) {
    const x = a < n ? buf[a] : 0;
    const y = b < n ? buf[b] : 0;
    if (x !== y) return false;
    if (x === 0) return true;
  }
}
