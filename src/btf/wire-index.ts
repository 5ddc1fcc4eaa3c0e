import { BpfkitError } from '../internal/errors.js';
import { longestString } from '../internal/text-buffer.js';
import { Kind, MAX_KNOWN_KIND } from './kinds.js';
import type { KindLayout } from './types.js';
import { infoKind, infoVlen, recordSizes } from './wire.js';

/**
 * An index over the wire records of one BTF's type section: where each
 * type's record starts, nothing decoded. Checking and dumping work straight
 * from this index (bpftool's raw dump is a dump of wire records); the type
 * model is decoded from it on demand.
 */
export class BtfWire {
  readonly view: DataView;
  /** The type section as 32-bit words in host order, byte-swapped when the
   * BTF's order differs (every field of a type record is a 32-bit word at a
   * multiple of 4): `words[p >> 2]` reads the u32 at byte offset p. Word
   * loads from a typed array are much cheaper than DataView calls in code V8
   * has not optimised yet, which is most of a one-shot dump. */
  readonly words: Uint32Array;
  /** Byte offset of each own type's record in the type section, plus one
   * final entry holding the section's length. */
  readonly offsets: Uint32Array;

  constructor(
    readonly typeBytes: Uint8Array,
    readonly littleEndian: boolean,
    offsets: Uint32Array,
    /** Own string table. */
    readonly strBytes: Buffer,
    /** Offset of strBytes[0] in the combined (base + own) string space. */
    readonly strBase: number,
    /** First own type id. */
    readonly firstId: number,
    readonly base: BtfWire | undefined,
    /** The type section's offset in the file (for error messages). */
    readonly fileOffset: number,
    readonly layout: KindLayout[] | undefined,
    /** typeBytes as words (see `words`), when the caller has them already. */
    words?: Uint32Array,
  ) {
    this.view = new DataView(typeBytes.buffer, typeBytes.byteOffset, typeBytes.byteLength);
    this.offsets = offsets;
    this.words = words ?? typeWords(typeBytes, littleEndian);
  }

  /**
   * `offsets` indexed by type id instead of id - firstId, without a copy:
   * byId[id] = offsets[id - 1], byId[0] = 0. Only for a BTF whose ids start
   * at 1 (no base), and only when the word before `offsets` in its buffer
   * is a zero that can stand for void (indexTypes leaves one there).
   * The dumpers' per-id table (dump/flat-types.ts) uses it instead of a
   * copy of its own: 0.5 MB for vmlinux.
   */
  offsetsById(): Uint32Array | undefined {
    const o = this.offsets;
    if (this.firstId !== 1 || o.byteOffset < 4) return undefined;
    const byId = new Uint32Array(o.buffer, o.byteOffset - 4, o.length + 1);
    return byId[0] === 0 ? byId : undefined;
  }

  /** Number of own types. */
  get count(): number {
    return this.offsets.length - 1;
  }

  /** Ids 0..typeCount-1 are valid (0 = void). */
  get typeCount(): number {
    return this.firstId + this.count;
  }

  /** The u32 at byte offset p (a multiple of 4) of the type section. */
  u32(p: number): number {
    return this.words[p >> 2];
  }

  i32(p: number): number {
    return this.words[p >> 2] | 0;
  }

  /** [string table bytes, offset within them] for a combined-space offset. */
  strTable(off: number): [Buffer, number] {
    if (off < this.strBase && this.base !== undefined) return this.base.strTable(off);
    return [this.strBytes, off - this.strBase];
  }

  private allStrs: Buffer | undefined;
  private longest = -1;

  /** The combined (base + own) string space as one array: the string at
   * combined offset off starts at allStrings()[off]. This BTF's own table
   * when there is no base, else a copy made on first use. */
  allStrings(): Buffer {
    if (this.allStrs === undefined) {
      if (this.base === undefined && this.strBase === 0) this.allStrs = this.strBytes;
      else {
        const all = Buffer.alloc(this.strBase + this.strBytes.byteLength);
        for (let w: BtfWire | undefined = this; w !== undefined; w = w.base) all.set(w.strBytes, w.strBase);
        this.allStrs = all;
      }
    }
    return this.allStrs;
  }

  /** The longest string in the combined string space, in bytes: room to
   * reserve before copying any name. */
  longestString(): number {
    if (this.longest < 0) {
      let n = 0;
      for (let w: BtfWire | undefined = this; w !== undefined; w = w.base) n = Math.max(n, longestString(w.strBytes));
      this.longest = n;
    }
    return this.longest;
  }

  /** Kind and name offset of any id (own or base); for void, kind 0. */
  kindOf(id: number): number {
    if (id === 0) return 0;
    if (id < this.firstId) return this.base !== undefined ? this.base.kindOf(id) : 0;
    return infoKind(this.words[(this.offsets[id - this.firstId] >> 2) + 1]);
  }

  nameOffOf(id: number): number {
    if (id === 0) return 0;
    if (id < this.firstId) return this.base !== undefined ? this.base.nameOffOf(id) : 0;
    return this.words[this.offsets[id - this.firstId] >> 2];
  }
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The whole 32-bit words of a type section in host order. The words share
 * memory with the bytes when the order matches and the section is 4-byte
 * aligned (raw vmlinux BTF read from a file); otherwise they are a copy.
 */
export function typeWords(typeBytes: Uint8Array, le: boolean): Uint32Array {
  const n = typeBytes.byteLength >>> 2;
  if (le === HOST_LITTLE_ENDIAN && typeBytes.byteOffset % 4 === 0) return new Uint32Array(typeBytes.buffer, typeBytes.byteOffset, n);
  const words = new Uint32Array(n);
  const b = typeBytes;
  if (le) for (let i = 0, p = 0; i < n; i++, p += 4) words[i] = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
  else for (let i = 0, p = 0; i < n; i++, p += 4) words[i] = ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  return words;
}

/** Sizes of the record after the common header, from the kind or, for kinds
 * newer than this code, from the BTF's layout section. */
export function recordSizesFor(kind: number, layout: KindLayout[] | undefined): readonly [number, number] | undefined {
  const known = recordSizes(kind);
  if (known !== undefined) return known;
  const l = kind === Kind.Unknown ? undefined : layout?.[kind];
  return l === undefined ? undefined : [l.infoSize, l.elemSize];
}

/**
 * Walk the type section once: find each record's start, check that every
 * record fits, every name offset lies in the string space and every
 * referenced type id exists. Throws one BpfkitError on the first problem.
 */
export function indexTypes(
  typeBytes: Uint8Array,
  le: boolean,
  fileOff: number,
  firstId: number,
  strBase: number,
  strSize: number,
  layout: KindLayout[] | undefined,
): Uint32Array {
  return indexTypeWords(typeWords(typeBytes, le), typeBytes.byteLength, fileOff, firstId, strBase, strSize, layout);
}

/**
 * indexTypes over the section's words (see typeWords); `len` is the
 * section's length in bytes. One pass, with no allocation per type: the
 * largest referenced id is tracked on the way, and only when it is out of
 * range is the section walked again to find the first offender.
 */
export function indexTypeWords(
  words: Uint32Array,
  len: number,
  fileOff: number,
  firstId: number,
  strBase: number,
  strSize: number,
  layout: KindLayout[] | undefined,
): Uint32Array {
  // Every record is at least 12 bytes, so len / 12 bounds the count; but
  // kernel BTF averages about 24 bytes a record, and an array sized by the
  // bound (1 MB for vmlinux) then copied to size would leave that much
  // garbage behind every parse. Start at len / 20 and grow to the bound
  // only for BTF with smaller records.
  const bound = Math.floor(len / 12) + 1;
  // One spare zero word precedes the offsets in their buffer: see
  // BtfWire.offsetsById.
  let store = new Uint32Array(Math.min(bound, Math.floor(len / 20) + 2) + 1);
  let offsets = store.subarray(1);
  const strEnd = strBase + strSize;
  let maxRef = 0;
  let n = 0;
  let p = 0;
  while (p < len) {
    if (len - p < 12) {
      throw new BpfkitError('TRUNCATED', `type record needs 12 bytes, ${len - p} remain in the type section`, {
        typeId: firstId + n,
        offset: fileOff + p,
      });
    }
    const q = p >> 2;
    const info = words[q + 1];
    const kind = (info >>> 24) & 0x7f;
    const vlen = info & 0xffffff;
    // Record bytes after the common header; words per vlen entry whose first
    // word is a name offset (0: none); which words hold type ids.
    // Everything per kind is a few numbers set in the switch and used in
    // one place after it: fixed bytes and bytes per vlen entry; the words
    // per vlen entry that start with a name offset (0: none); where the
    // type ids are (first word after the header, stride, count); the one
    // id of single-reference kinds. An arithmetic or load site first
    // reached by a late kind (vmlinux ends with DATASECs) would have no
    // type feedback in the optimised loop and make V8 throw it away.
    const sot = words[q + 2];
    let fixed = 0;
    let per = 0;
    let nameStride = 0;
    let ref = 0;
    let refFrom = 0;
    let refStride = 0;
    let refCount = 0;
    switch (kind) {
      case Kind.Ptr:
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
      case Kind.Func:
        ref = sot;
        break;
      case Kind.Var:
      case Kind.DeclTag:
        fixed = 4;
        ref = sot;
        break;
      case Kind.Int:
        fixed = 4;
        break;
      case Kind.Fwd:
      case Kind.Float:
        break;
      case Kind.Array:
        fixed = 12;
        refStride = 1;
        refCount = 2;
        break;
      case Kind.Struct:
      case Kind.Union:
        per = 12;
        nameStride = 3;
        refFrom = 1;
        refStride = 3;
        refCount = vlen;
        break;
      case Kind.Enum64:
        per = 12;
        nameStride = 3;
        break;
      case Kind.Enum:
        per = 8;
        nameStride = 2;
        break;
      case Kind.FuncProto:
        per = 8;
        nameStride = 2;
        ref = sot;
        refFrom = 1;
        refStride = 2;
        refCount = vlen;
        break;
      case Kind.Datasec:
        per = 12;
        refStride = 3;
        refCount = vlen;
        break;
      default: {
        const sizes = recordSizesFor(kind, layout);
        if (sizes === undefined) {
          throw new BpfkitError('BAD_KIND', `unknown BTF kind ${kind}${layout ? ' (not in the layout section either)' : ''}`, {
            typeId: firstId + n,
            offset: fileOff + p + 4,
          });
        }
        fixed = sizes[0];
        per = sizes[1];
      }
    }
    const extra = fixed + per * vlen;
    if (extra > len - p - 12) {
      throw new BpfkitError(
        'TRUNCATED',
        `${kind > MAX_KNOWN_KIND ? 'kind ' + kind + ' ' : ''}type with vlen ${vlen} needs ${extra} more bytes, ${len - p - 12} remain`,
        { typeId: firstId + n, offset: fileOff + p },
      );
    }
    const nameOff = words[q];
    if (nameOff >= strEnd) badName(nameOff, strEnd, firstId + n, fileOff + p);
    maxRef = ref > maxRef ? ref : maxRef;
    // Names and type ids inside the vlen records. (Each word is loaded once
    // into a local: a load run only when a new maximum turns up would have
    // no feedback either.)
    const first = q + 3;
    if (nameStride !== 0) {
      for (let m = first, end = first + (extra >> 2); m < end; m += nameStride) {
        const o = words[m];
        if (o >= strEnd) badName(o, strEnd, firstId + n, fileOff + m * 4);
      }
    }
    for (let i = 0, m = first + refFrom; i < refCount; i++, m += refStride) {
      const t = words[m];
      maxRef = t > maxRef ? t : maxRef;
    }
    if (n + 1 >= offsets.length) {
      const more = new Uint32Array(bound + 1);
      more.set(store);
      store = more;
      offsets = more.subarray(1);
    }
    offsets[n++] = p;
    p += 12 + extra;
  }
  offsets[n] = p;
  // A view when little is unused; an exact copy otherwise.
  const out = offsets.length - (n + 1) <= (n + 1) / 4 ? offsets.subarray(0, n + 1) : store.slice(0, n + 2).subarray(1);
  // Only now is the last id known; find the first bad reference if any.
  if (maxRef >= firstId + n) checkReferences(words, out, firstId, fileOff);
  return out;
}

function badName(off: number, strEnd: number, id: number, at: number): never {
  throw new BpfkitError('OUT_OF_RANGE', `name offset ${off} is outside the string section (ends at ${strEnd})`, {
    typeId: id,
    offset: at,
  });
}

/** Every type id a record refers to must exist (ids < typeCount). */
function checkReferences(words: Uint32Array, offsets: Uint32Array, firstId: number, fileOff: number): void {
  const n = offsets.length - 1;
  const count = firstId + n;
  for (let i = 0; i < n; i++) {
    const p = offsets[i];
    const info = words[(p >> 2) + 1];
    const kind = infoKind(info);
    const vlen = infoVlen(info);
    const bad = (ref: number, at: number, what: string): never => {
      throw new BpfkitError('OUT_OF_RANGE', `${what} refers to type id ${ref}, but the last id is ${count - 1}`, {
        typeId: firstId + i,
        offset: fileOff + at,
      });
    };
    switch (kind) {
      case Kind.Ptr:
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
      case Kind.Func:
      case Kind.Var:
      case Kind.DeclTag:
      case Kind.FuncProto: {
        const ref = words[(p + 8) >> 2];
        if (ref >= count) bad(ref, p + 8, kind === Kind.FuncProto ? 'return type' : 'type');
        if (kind === Kind.FuncProto) {
          for (let j = 0, m = p + 12; j < vlen; j++, m += 8) {
            const t = words[(m + 4) >> 2];
            if (t >= count) bad(t, m + 4, `parameter ${j}`);
          }
        }
        break;
      }
      case Kind.Array: {
        const t = words[(p + 12) >> 2];
        if (t >= count) bad(t, p + 12, 'array element type');
        const it = words[(p + 16) >> 2];
        if (it >= count) bad(it, p + 16, 'array index type');
        break;
      }
      case Kind.Struct:
      case Kind.Union:
        for (let j = 0, m = p + 12; j < vlen; j++, m += 12) {
          const t = words[(m + 4) >> 2];
          if (t >= count) bad(t, m + 4, `member ${j}`);
        }
        break;
      case Kind.Datasec:
        for (let j = 0, m = p + 12; j < vlen; j++, m += 12) {
          const t = words[(m) >> 2];
          if (t >= count) bad(t, m, `datasec variable ${j}`);
        }
        break;
      default:
        break;
    }
  }
}
