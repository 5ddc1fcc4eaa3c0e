import type { Btf } from '../btf.js';
import { Kind, MAX_KNOWN_KIND } from '../kinds.js';
import type { BtfWire } from '../wire-index.js';
import { wireOf } from './wire-of.js';

/**
 * A flat, id-indexed view of every type record a dumper may touch (the
 * base's and this BTF's own), read straight from the wire: decoding 126k
 * model objects for vmlinux would cost more than a whole dump. The C and
 * TypeScript dumpers build their tables on it.
 *
 * Per id, only the kind and where the record starts are kept; everything
 * else is read from `words`: with q = pos[id] >> 2, the name offset at `q`,
 * the info word at `q + 1`, size-or-type at `q + 2`, the per-kind record
 * from `q + 3` on. All type sections share one word array and all string
 * tables one byte array (both are the BTF's own, uncopied, when there is
 * no base), so a field or a name is one typed-array load away: a dump runs
 * once per process, mostly in code V8 has not optimised, where every call
 * and allocation shows.
 */
export class FlatTypes {
  /** Ids 0 .. count-1 are valid (0 = void). */
  readonly count: number;
  /** Kind per id (see the constructor's `unknownKinds`). */
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
  /** The top BTF's wire (its string lookup covers the base's strings). */
  readonly top: BtfWire;

  /**
   * `unknownKinds`: 'raw' keeps a kind number this code does not know (the
   * C dumper names it in its error); 'unknown' reads it as Kind.Unknown, as
   * the type model does.
   */
  constructor(btf: Btf, unknownKinds: 'raw' | 'unknown') {
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
    const mapUnknown = unknownKinds === 'unknown';
    for (let k = 0, at = 0; k < chain.length; k++) {
      const w = chain[k];
      const n = w.count;
      const offsets = w.offsets;
      for (let i = 0, id = w.firstId; i < n; i++, id++) {
        const p = at + offsets[i];
        const kd = (words[(p >> 2) + 1] >>> 24) & 0x7f;
        kind[id] = mapUnknown && kd > MAX_KNOWN_KIND ? Kind.Unknown : kd;
        if (shared === undefined) pos[id] = p;
      }
      at += w.words.length * 4;
    }
  }

  /** Whether the string at a name offset is `s` (ASCII), without decoding it. */
  strEquals(off: number, s: string): boolean {
    const b = this.strs;
    const n = s.length;
    if (off + n >= b.length) return false;
    for (let i = 0; i < n; i++) if (b[off + i] !== s.charCodeAt(i)) return false;
    return b[off + n] === 0;
  }
}

const MAX_RESOLVE_DEPTH = 32;
export const EINVAL = -22;
export const E2BIG = -7;

/**
 * libbpf's btf__resolve_size over flat records: the size in bytes, or a
 * negative errno (E2BIG when an array's size overflows 32 bits, EINVAL for
 * void, types without a size, and chains deeper than libbpf follows).
 * `ptrSize` is the pointer size the caller settled on.
 */
export function resolveFlatSize(t: FlatTypes, id: number, ptrSize: number): number {
  let nelems = 1;
  for (let depth = 0; depth < MAX_RESOLVE_DEPTH && id !== 0; depth++) {
    const q = t.pos[id] >> 2;
    let size: number;
    switch (t.kind[id]) {
      case Kind.Int:
      case Kind.Struct:
      case Kind.Union:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Datasec:
      case Kind.Float:
        size = t.words[q + 2];
        break;
      case Kind.Ptr:
        size = ptrSize;
        break;
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.Var:
      case Kind.DeclTag:
      case Kind.TypeTag:
        id = t.words[q + 2];
        continue;
      case Kind.Array: {
        const n = t.words[q + 5];
        if (nelems !== 0 && n > 0xffffffff / nelems) return E2BIG;
        nelems *= n;
        id = t.words[q + 3];
        continue;
      }
      default:
        return EINVAL;
    }
    if (nelems !== 0 && size > 0xffffffff / nelems) return E2BIG;
    return nelems * size;
  }
  return EINVAL;
}
