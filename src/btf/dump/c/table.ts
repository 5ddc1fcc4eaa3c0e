import type { Btf } from '../../btf.js';
import { Kind } from '../../kinds.js';
import { infoKind } from '../../wire.js';
import type { BtfWire } from '../../wire-index.js';
import { wireOf } from '../wire-of.js';

/**
 * A flat, id-indexed view of every type record the C dumper may touch (the
 * base's and this BTF's own), read straight from the wire: decoding 126k
 * model objects for vmlinux would cost more than the whole dump.
 *
 * Per-id arrays hold the common header; the per-kind records after it are
 * read on demand through `wire(id)` at `pos[id] + 12`.
 */
export class TypeTable {
  /** Ids 0 .. count-1 are valid (0 = void). */
  readonly count: number;
  readonly kind: Uint8Array;
  /** vlen as libbpf 1.1 reads it (16 bits). */
  readonly vlen: Uint16Array;
  readonly kflag: Uint8Array;
  /** The size_or_type word. */
  readonly sot: Uint32Array;
  readonly nameOff: Uint32Array;
  /** Start of each record in its wire's type section. */
  readonly pos: Uint32Array;
  private readonly wires: BtfWire[];
  private readonly wix: Uint8Array;
  /** The top BTF's wire (its string lookup covers the base's strings). */
  readonly top: BtfWire;

  constructor(btf: Btf) {
    const chain: BtfWire[] = [];
    for (let b: Btf | undefined = btf; b !== undefined; b = b.base) chain.unshift(wireOf(b));
    this.top = chain[chain.length - 1];
    const count = this.top.typeCount;
    this.count = count;
    this.kind = new Uint8Array(count);
    this.vlen = new Uint16Array(count);
    this.kflag = new Uint8Array(count);
    this.sot = new Uint32Array(count);
    this.nameOff = new Uint32Array(count);
    this.pos = new Uint32Array(count);
    this.wix = new Uint8Array(count);
    this.wires = chain;
    for (let k = 0; k < chain.length; k++) {
      const w = chain[k];
      const n = w.count;
      const v = w.view;
      const le = w.littleEndian;
      for (let i = 0, id = w.firstId; i < n; i++, id++) {
        const p = w.offsets[i];
        const info = v.getUint32(p + 4, le);
        this.kind[id] = infoKind(info);
        this.vlen[id] = info & 0xffff;
        this.kflag[id] = info >>> 31;
        this.sot[id] = v.getUint32(p + 8, le);
        this.nameOff[id] = v.getUint32(p, le);
        this.pos[id] = p;
        this.wix[id] = k;
      }
    }
  }

  /** The wire holding id's record. */
  wire(id: number): BtfWire {
    return this.wires[this.wix[id]];
  }

  /** A u32 of id's record at byte `off` from the record's start. */
  u32(id: number, off: number): number {
    return this.wires[this.wix[id]].u32(this.pos[id] + off);
  }

  i32(id: number, off: number): number {
    return this.wires[this.wix[id]].i32(this.pos[id] + off);
  }

  /** The string at a (combined-space) name offset. */
  str(off: number): string {
    const [buf, o] = this.top.strTable(off);
    let e = o;
    while (e < buf.length && buf[e] !== 0) e++;
    return buf.toString('latin1', o, e);
  }

  /** Struct/union member j: name offset, type, raw offset word. */
  memberType(id: number, j: number): number {
    return this.u32(id, 16 + j * 12);
  }

  memberNameOff(id: number, j: number): number {
    return this.u32(id, 12 + j * 12);
  }

  memberBitOffset(id: number, j: number): number {
    const o = this.u32(id, 20 + j * 12);
    return this.kflag[id] !== 0 ? o & 0xffffff : o;
  }

  memberBitfieldSize(id: number, j: number): number {
    return this.kflag[id] !== 0 ? this.u32(id, 20 + j * 12) >>> 24 : 0;
  }

  /** The type an id's "next" link points to for single-link kinds, the
   * element type for arrays. */
  arrayElem(id: number): number {
    return this.u32(id, 12);
  }

  arrayIndexType(id: number): number {
    return this.u32(id, 16);
  }

  arrayNelems(id: number): number {
    return this.u32(id, 20);
  }

  paramType(id: number, j: number): number {
    return this.u32(id, 16 + j * 8);
  }

  paramNameOff(id: number, j: number): number {
    return this.u32(id, 12 + j * 8);
  }

  isComposite(id: number): boolean {
    const k = this.kind[id];
    return k === Kind.Struct || k === Kind.Union;
  }
}
