import type { Btf } from '../../btf.js';
import { Kind } from '../../kinds.js';
import type { BtfWire } from '../../wire-index.js';
import { wireOf } from '../wire-of.js';

/**
 * A flat, id-indexed view of every type record the C dumper may touch (the
 * base's and this BTF's own), read straight from the wire: decoding 126k
 * model objects for vmlinux would cost more than the whole dump.
 *
 * Per id, only the kind and where the record starts are kept; everything
 * else is read from `words`: with q = pos[id] >> 2, the name offset at
 * `q`, the info word (vlen in the low 16 bits as libbpf 1.1 reads it, kflag
 * in bit 31) at `q + 1`, size-or-type at `q + 2`, the per-kind record from
 * `q + 3` on. (Copies of those fields cost 1 MB for vmlinux, a fifth
 * of the BTF's own size, and saved no time.) All type sections share
 * one word array and all string tables one byte array (both are vmlinux's
 * own, uncopied, when there is no base), so a field or a name is one typed
 * array load away: the dump runs once per process, mostly in code V8 has not
 * optimised, where every call and allocation shows.
 */
export class TypeTable {
  /** Ids 0 .. count-1 are valid (0 = void). */
  readonly count: number;
  readonly kind: Uint8Array;
  /** Byte offset in `words` of each record's start (divide by 4 for the
   * word index). For BTF without a base this is the type index's own
   * offsets array, viewed by id (BtfWire.offsetsById), not a copy. */
  readonly pos: Uint32Array;
  /** Every type section's words, base first (see BtfWire.words). */
  readonly words: Uint32Array;
  /** The combined string space: strs[off] is the first byte of the string
   * at combined offset off. Every string in it ends with a NUL. */
  readonly strs: Buffer;
  /** Upper bounds of the distinct names in the dump's two C namespaces:
   * named struct/union/enum types, and typedefs plus enumerators. */
  readonly tagCount: number;
  readonly identCount: number;
  /** The top BTF's wire (its string lookup covers the base's strings). */
  readonly top: BtfWire;

  constructor(btf: Btf) {
    const chain: BtfWire[] = [];
    for (let b: Btf | undefined = btf; b !== undefined; b = b.base) chain.unshift(wireOf(b));
    this.top = chain[chain.length - 1];
    const count = this.top.typeCount;
    this.count = count;
    this.kind = new Uint8Array(count);
    const shared = chain.length === 1 ? this.top.offsetsById() : undefined;
    this.pos = shared ?? new Uint32Array(count);
    if (chain.length === 1) {
      this.words = this.top.words;
      this.strs = this.top.strBytes;
    } else {
      let nw = 0;
      for (const w of chain) nw += w.words.length;
      this.words = new Uint32Array(nw);
      this.strs = Buffer.alloc(this.top.strBase + this.top.strBytes.byteLength);
      for (let k = 0, at = 0; k < chain.length; k++) {
        this.words.set(chain[k].words, at);
        at += chain[k].words.length;
        this.strs.set(chain[k].strBytes, chain[k].strBase);
      }
    }
    const words = this.words;
    const { kind, pos } = this;
    let tags = 0;
    let idents = 0;
    for (let k = 0, at = 0; k < chain.length; k++) {
      const w = chain[k];
      const n = w.count;
      const offsets = w.offsets;
      for (let i = 0, id = w.firstId; i < n; i++, id++) {
        const p = at + offsets[i];
        const info = words[(p >> 2) + 1];
        const k = (info >>> 24) & 0x7f;
        kind[id] = k;
        if (shared === undefined) pos[id] = p;
        if (k === Kind.Struct || k === Kind.Union || k === Kind.Enum || k === Kind.Enum64) {
          if (words[p >> 2] !== 0) tags++;
          if (k !== Kind.Struct && k !== Kind.Union) idents += info & 0xffff;
        } else if (k === Kind.Typedef) idents++;
      }
      at += w.words.length * 4;
    }
    this.tagCount = tags;
    this.identCount = idents;
  }

  /** The fields of the common header. */
  nameOffOf(id: number): number {
    return this.words[(this.pos[id] >> 2)];
  }

  vlenOf(id: number): number {
    return this.words[(this.pos[id] >> 2) + 1] & 0xffff;
  }

  kflagOf(id: number): boolean {
    return this.words[(this.pos[id] >> 2) + 1] >>> 31 !== 0;
  }

  sotOf(id: number): number {
    return this.words[(this.pos[id] >> 2) + 2];
  }

  /** A u32 of id's record at byte `off` (a multiple of 4) from its start. */
  u32(id: number, off: number): number {
    return this.words[(this.pos[id] >> 2) + (off >> 2)];
  }

  i32(id: number, off: number): number {
    return this.words[(this.pos[id] >> 2) + (off >> 2)] | 0;
  }

  /** The string at a (combined-space) name offset. */
  str(off: number): string {
    const b = this.strs;
    let e = off;
    while (e < b.length && b[e] !== 0) e++;
    return b.toString('latin1', off, e);
  }

  /** Whether the string at a name offset is `s` (ASCII), without decoding it. */
  strEquals(off: number, s: string): boolean {
    const b = this.strs;
    const n = s.length;
    if (off + n >= b.length) return false;
    for (let i = 0; i < n; i++) if (b[off + i] !== s.charCodeAt(i)) return false;
    return b[off + n] === 0;
  }

  /** Struct/union member j: name offset, type, raw offset word. */
  memberType(id: number, j: number): number {
    return this.words[(this.pos[id] >> 2) + 4 + j * 3];
  }

  memberNameOff(id: number, j: number): number {
    return this.words[(this.pos[id] >> 2) + 3 + j * 3];
  }

  memberBitOffset(id: number, j: number): number {
    const q = (this.pos[id] >> 2);
    const o = this.words[q + 5 + j * 3];
    return this.words[q + 1] >>> 31 !== 0 ? o & 0xffffff : o;
  }

  memberBitfieldSize(id: number, j: number): number {
    const q = (this.pos[id] >> 2);
    return this.words[q + 1] >>> 31 !== 0 ? this.words[q + 5 + j * 3] >>> 24 : 0;
  }

  /** The element type of an array. */
  arrayElem(id: number): number {
    return this.words[(this.pos[id] >> 2) + 3];
  }

  arrayIndexType(id: number): number {
    return this.words[(this.pos[id] >> 2) + 4];
  }

  arrayNelems(id: number): number {
    return this.words[(this.pos[id] >> 2) + 5];
  }

  paramType(id: number, j: number): number {
    return this.words[(this.pos[id] >> 2) + 4 + j * 2];
  }

  paramNameOff(id: number, j: number): number {
    return this.words[(this.pos[id] >> 2) + 3 + j * 2];
  }

  isComposite(id: number): boolean {
    const k = this.kind[id];
    return k === Kind.Struct || k === Kind.Union;
  }
}
