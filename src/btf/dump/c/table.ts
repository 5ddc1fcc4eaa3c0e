import type { Btf } from '../../btf.js';
import { Kind } from '../../kinds.js';
import { FlatTypes } from '../flat-types.js';

/**
 * The C dumper's view of the type records (see FlatTypes), with the
 * accessors it uses; vlen is read in 16 bits, as libbpf 1.1 does. Kind
 * numbers this code does not know are kept, so that the dump can name them.
 */
export class TypeTable extends FlatTypes {
  /** Upper bounds of the distinct names in the dump's two C namespaces:
   * named struct/union/enum types, and typedefs plus enumerators. */
  readonly tagCount: number;
  readonly identCount: number;

  constructor(btf: Btf) {
    super(btf, 'raw');
    const { kind, pos, words } = this;
    let tags = 0;
    let idents = 0;
    for (let id = 1; id < this.count; id++) {
      const k = kind[id];
      if (k === Kind.Struct || k === Kind.Union || k === Kind.Enum || k === Kind.Enum64) {
        const q = pos[id] >> 2;
        if (words[q] !== 0) tags++;
        if (k !== Kind.Struct && k !== Kind.Union) idents += words[q + 1] & 0xffff;
      } else if (k === Kind.Typedef) idents++;
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
