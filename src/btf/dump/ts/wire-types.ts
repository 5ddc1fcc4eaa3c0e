/**
 * The TS generator's flat, id-indexed view of the type records it reads
 * (the base's and this BTF's own), straight from the wire: per id the kind
 * and where the record starts in one word array; names from one string
 * space. (The C dumper has a table of its own, with libbpf 1.1's 16-bit
 * vlen; this one reads the 24-bit vlen the type model uses.)
 */
import { isAscii } from 'node:buffer';
import type { Btf } from '../../btf.js';
import { Kind, MAX_KNOWN_KIND } from '../../kinds.js';
import type { BtfWire } from '../../wire-index.js';
import { wireOf } from '../wire-of.js';

const LONG_NAMES = new Set(['long', 'long int', 'int long', 'unsigned long', 'long unsigned int', 'unsigned long int']);

export class WireTypes {
  /** Ids 0 .. count-1 are valid (0 = void). */
  readonly count: number;
  /** Kind per id (0 for void and for kinds newer than this code, which the
   * type model calls Unknown). */
  readonly kind: Uint8Array;
  /** Index in `words` of each record's first word. */
  readonly pos: Uint32Array;
  /** Every type section's words, base first (BtfWire.words). */
  readonly words: Uint32Array;
  /** The combined string space: the string at combined offset off starts at
   * strs[off]; every string ends with a NUL. */
  readonly strs: Buffer;
  /** Whether every string is ASCII (then a name's bytes are its UTF-8). */
  readonly ascii: boolean;
  /** strs as Latin-1 text (as StringTable decodes), made on first use. */
  private text: string | undefined;

  constructor(btf: Btf) {
    const chain: BtfWire[] = [];
    for (let b: Btf | undefined = btf; b !== undefined; b = b.base) chain.unshift(wireOf(b));
    const top = chain[chain.length - 1];
    const count = top.typeCount;
    this.count = count;
    this.kind = new Uint8Array(count);
    this.pos = new Uint32Array(count);
    if (chain.length === 1) {
      this.words = top.words;
      this.strs = top.strBytes;
    } else {
      let nw = 0;
      for (const w of chain) nw += w.words.length;
      this.words = new Uint32Array(nw);
      this.strs = Buffer.alloc(top.strBase + top.strBytes.byteLength);
      for (let k = 0, at = 0; k < chain.length; k++) {
        this.words.set(chain[k].words, at);
        at += chain[k].words.length;
        this.strs.set(chain[k].strBytes, chain[k].strBase);
      }
    }
    this.ascii = isAscii(this.strs);
    const words = this.words;
    const { kind, pos } = this;
    for (let k = 0, at = 0; k < chain.length; k++) {
      const w = chain[k];
      const n = w.count;
      const offsets = w.offsets;
      for (let i = 0, id = w.firstId; i < n; i++, id++) {
        const q = at + (offsets[i] >> 2);
        const kd = (words[q + 1] >>> 24) & 0x7f;
        kind[id] = kd > MAX_KNOWN_KIND ? Kind.Unknown : kd;
        pos[id] = q;
      }
      at += w.words.length;
    }
  }

  /** Name offset, vlen (24 bits, as the type model reads it), kflag and
   * size-or-type of a record. */
  nameOff(id: number): number {
    return this.words[this.pos[id]];
  }

  vlen(id: number): number {
    return this.words[this.pos[id] + 1] & 0xffffff;
  }

  kflag(id: number): boolean {
    return this.words[this.pos[id] + 1] >>> 31 !== 0;
  }

  sot(id: number): number {
    return this.words[this.pos[id] + 2];
  }

  /** INT encoding bits. */
  intEncoding(id: number): number {
    return (this.words[this.pos[id] + 3] >>> 24) & 0x0f;
  }

  intBitsOffset(id: number): number {
    return (this.words[this.pos[id] + 3] >>> 16) & 0xff;
  }

  intBits(id: number): number {
    return this.words[this.pos[id] + 3] & 0xff;
  }

  arrayElem(id: number): number {
    return this.words[this.pos[id] + 3];
  }

  arrayNelems(id: number): number {
    return this.words[this.pos[id] + 5];
  }

  /** Struct/union member j (hot loops read the words inline). */
  memberNameOff(id: number, j: number): number {
    return this.words[this.pos[id] + 3 + j * 3];
  }

  memberType(id: number, j: number): number {
    return this.words[this.pos[id] + 4 + j * 3];
  }

  /** The raw offset word (bit offset, or bitfield size << 24 | bit offset
   * with kflag). */
  memberOffsetWord(id: number, j: number): number {
    return this.words[this.pos[id] + 5 + j * 3];
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

  /** Whether the string at a name offset is `s` (ASCII), without decoding it. */
  nameIs(off: number, s: string): boolean {
    const b = this.strs;
    const n = s.length;
    if (off + n >= b.length) return false;
    for (let i = 0; i < n; i++) if (b[off + i] !== s.charCodeAt(i)) return false;
    return b[off + n] === 0;
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
