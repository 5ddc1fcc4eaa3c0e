/**
 * The TS generator's view of the type records (see FlatTypes), with the
 * accessors it uses. Unlike the C dumper's table it reads the 24-bit vlen
 * and the kinds as the type model does (newer kinds are Unknown).
 */
import { isAscii } from 'node:buffer';
import type { Btf } from '../../btf.js';
import { Kind } from '../../kinds.js';
import { FlatTypes } from '../flat-types.js';

const LONG_NAMES = new Set(['long', 'long int', 'int long', 'unsigned long', 'long unsigned int', 'unsigned long int']);

export class WireTypes extends FlatTypes {
  /** Whether every string is ASCII (then a name's bytes are its UTF-8). */
  readonly ascii: boolean;
  /** strs as Latin-1 text (as StringTable decodes), made on first use. */
  private text: string | undefined;

  constructor(btf: Btf) {
    super(btf, 'unknown');
    this.ascii = isAscii(this.strs);
  }

  /** Name offset, vlen (24 bits, as the type model reads it), kflag and
   * size-or-type of a record. */
  nameOff(id: number): number {
    return this.words[(this.pos[id] >> 2)];
  }

  vlen(id: number): number {
    return this.words[(this.pos[id] >> 2) + 1] & 0xffffff;
  }

  kflag(id: number): boolean {
    return this.words[(this.pos[id] >> 2) + 1] >>> 31 !== 0;
  }

  sot(id: number): number {
    return this.words[(this.pos[id] >> 2) + 2];
  }

  /** INT encoding bits. */
  intEncoding(id: number): number {
    return (this.words[(this.pos[id] >> 2) + 3] >>> 24) & 0x0f;
  }

  intBitsOffset(id: number): number {
    return (this.words[(this.pos[id] >> 2) + 3] >>> 16) & 0xff;
  }

  intBits(id: number): number {
    return this.words[(this.pos[id] >> 2) + 3] & 0xff;
  }

  arrayElem(id: number): number {
    return this.words[(this.pos[id] >> 2) + 3];
  }

  arrayNelems(id: number): number {
    return this.words[(this.pos[id] >> 2) + 5];
  }

  /** Struct/union member j (hot loops read the words inline). */
  memberNameOff(id: number, j: number): number {
    return this.words[(this.pos[id] >> 2) + 3 + j * 3];
  }

  memberType(id: number, j: number): number {
    return this.words[(this.pos[id] >> 2) + 4 + j * 3];
  }

  /** The raw offset word (bit offset, or bitfield size << 24 | bit offset
   * with kflag). */
  memberOffsetWord(id: number, j: number): number {
    return this.words[(this.pos[id] >> 2) + 5 + j * 3];
  }

  /** Whether the string at a name offset is empty. */
  isAnon(off: number): boolean {
    return this.strs[off] === 0;
  }

  /** The string at a name offset, as the type model decodes it (Latin-1). */
  name(off: number): string {
    const t = (this.text ??= this.strs.toString('latin1'));
    return t.slice(off, t.indexOf('\0', off));
  }

  /** sizes.ts pointerSize: the size of the first INT spelled like a
   * `long`, 8 when there is none. */
  pointerSize(): number {
    for (let id = 1; id < this.count; id++) {
      if (this.kind[id] !== Kind.Int) continue;
      const s = this.sot(id);
      if ((s === 4 || s === 8) && LONG_NAMES.has(this.name(this.nameOff(id)))) return s;
    }
    return 8;
  }
}
