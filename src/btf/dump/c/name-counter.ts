import type { TypeTable } from './table.js';

/**
 * How many times each name has been used in one C namespace, keyed by the
 * name's bytes in the string table: an open-addressing table over string
 * offsets, so counting the 100k+ names of vmlinux creates no JS strings.
 */
export class NameCounter {
  private keys: Int32Array; // offset + 1; 0 = empty slot
  private hashes: Int32Array;
  private counts: Int32Array;
  private used = 0;

  constructor(private readonly t: TypeTable) {
    // Sized so that vmlinux (127k types: 11k tags, 22k typedef and
    // enumerator names) never grows it: a first growth in the middle of
    // the dump would reach code V8 compiled without it and deoptimise
    // every function that inlined bump().
    let cap = 1 << 12;
    while (cap < 1 << 16 && cap * 4 < t.count) cap *= 2;
    this.keys = new Int32Array(cap);
    this.hashes = new Int32Array(cap);
    this.counts = new Int32Array(cap);
  }

  /** Count one more use of the name at `off`; returns the new count. */
  bump(off: number): number {
    const buf = this.t.strs;
    const o = off;
    let h = 0x811c9dc5 | 0;
    let e = o;
    for (const n = buf.length; e < n; e++) {
      const c = buf[e];
      if (c === 0) break;
      h = Math.imul(h ^ c, 0x01000193);
    }
    const mask = this.keys.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i];
      if (k === 0) {
        this.keys[i] = off + 1;
        this.hashes[i] = h;
        this.counts[i] = 1;
        // Up to 3/4 full: vmlinux's 11k tags and 22k typedef and
        // enumerator names fit 16k and 32k slots (the hash is compared
        // before any bytes, so longer probes stay cheap).
        if (++this.used * 4 > this.keys.length * 3) this.grow();
        return 1;
      }
      if (this.hashes[i] === h && this.equal(k - 1, buf, o, e - o)) return ++this.counts[i];
    }
  }

  private equal(keyOff: number, buf: Uint8Array, o: number, len: number): boolean {
    const kb = this.t.strs;
    const ko = keyOff;
    if (ko === o) return true;
    for (let i = 0; i < len; i++) if (kb[ko + i] !== buf[o + i]) return false;
    return (kb[ko + len] ?? 0) === 0;
  }

  private grow(): void {
    const { keys, hashes, counts } = this;
    const cap = keys.length * 2;
    this.keys = new Int32Array(cap);
    this.hashes = new Int32Array(cap);
    this.counts = new Int32Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < keys.length; j++) {
      if (keys[j] === 0) continue;
      let i = hashes[j] & mask;
      while (this.keys[i] !== 0) i = (i + 1) & mask;
      this.keys[i] = keys[j];
      this.hashes[i] = hashes[j];
      this.counts[i] = counts[j];
    }
  }
}
