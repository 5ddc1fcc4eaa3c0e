import { BpfkitError } from '../internal/errors.js';
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
  ) {
    this.view = new DataView(typeBytes.buffer, typeBytes.byteOffset, typeBytes.byteLength);
    this.offsets = offsets;
  }

  /** Number of own types. */
  get count(): number {
    return this.offsets.length - 1;
  }

  /** Ids 0..typeCount-1 are valid (0 = void). */
  get typeCount(): number {
    return this.firstId + this.count;
  }

  u32(p: number): number {
    return this.view.getUint32(p, this.littleEndian);
  }

  i32(p: number): number {
    return this.view.getInt32(p, this.littleEndian);
  }

  /** [string table bytes, offset within them] for a combined-space offset. */
  strTable(off: number): [Buffer, number] {
    if (off < this.strBase && this.base !== undefined) return this.base.strTable(off);
    return [this.strBytes, off - this.strBase];
  }

  /** Kind and name offset of any id (own or base); for void, kind 0. */
  kindOf(id: number): number {
    if (id === 0) return 0;
    if (id < this.firstId) return this.base !== undefined ? this.base.kindOf(id) : 0;
    return infoKind(this.u32(this.offsets[id - this.firstId] + 4));
  }

  nameOffOf(id: number): number {
    if (id === 0) return 0;
    if (id < this.firstId) return this.base !== undefined ? this.base.nameOffOf(id) : 0;
    return this.u32(this.offsets[id - this.firstId]);
  }
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
  const v = new DataView(typeBytes.buffer, typeBytes.byteOffset, typeBytes.byteLength);
  const len = typeBytes.byteLength;
  // Every record is at least 12 bytes, so this bounds the count.
  const offsets = new Uint32Array(Math.floor(len / 12) + 1);
  const strEnd = strBase + strSize;
  const checkName = (off: number, id: number, at: number): void => {
    if (off >= strEnd) {
      throw new BpfkitError('OUT_OF_RANGE', `name offset ${off} is outside the string section (ends at ${strEnd})`, {
        typeId: id,
        offset: fileOff + at,
      });
    }
  };
  let n = 0;
  let p = 0;
  while (p < len) {
    const id = firstId + n;
    if (len - p < 12) {
      throw new BpfkitError('TRUNCATED', `type record needs 12 bytes, ${len - p} remain in the type section`, {
        typeId: id,
        offset: fileOff + p,
      });
    }
    const info = v.getUint32(p + 4, le);
    const kind = infoKind(info);
    const vlen = infoVlen(info);
    const sizes = recordSizesFor(kind, layout);
    if (sizes === undefined) {
      throw new BpfkitError('BAD_KIND', `unknown BTF kind ${kind}${layout ? ' (not in the layout section either)' : ''}`, {
        typeId: id,
        offset: fileOff + p + 4,
      });
    }
    const extra = sizes[0] + sizes[1] * vlen;
    if (extra > len - p - 12) {
      throw new BpfkitError(
        'TRUNCATED',
        `${kind > MAX_KNOWN_KIND ? 'kind ' + kind + ' ' : ''}type with vlen ${vlen} needs ${extra} more bytes, ${len - p - 12} remain`,
        { typeId: id, offset: fileOff + p },
      );
    }
    checkName(v.getUint32(p, le), id, p);
    // Names inside the vlen records.
    switch (kind) {
      case Kind.Struct:
      case Kind.Union:
      case Kind.Enum64:
        for (let i = 0, m = p + 12; i < vlen; i++, m += 12) checkName(v.getUint32(m, le), id, m);
        break;
      case Kind.Enum:
      case Kind.FuncProto:
        for (let i = 0, m = p + 12; i < vlen; i++, m += 8) checkName(v.getUint32(m, le), id, m);
        break;
      default:
        break;
    }
    offsets[n++] = p;
    p += 12 + extra;
  }
  offsets[n] = p;
  const out = offsets.slice(0, n + 1);
  checkReferences(v, le, out, firstId, fileOff);
  return out;
}

/** Every type id a record refers to must exist (ids < typeCount). */
function checkReferences(v: DataView, le: boolean, offsets: Uint32Array, firstId: number, fileOff: number): void {
  const n = offsets.length - 1;
  const count = firstId + n;
  for (let i = 0; i < n; i++) {
    const p = offsets[i];
    const info = v.getUint32(p + 4, le);
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
        const ref = v.getUint32(p + 8, le);
        if (ref >= count) bad(ref, p + 8, kind === Kind.FuncProto ? 'return type' : 'type');
        if (kind === Kind.FuncProto) {
          for (let j = 0, m = p + 12; j < vlen; j++, m += 8) {
            const t = v.getUint32(m + 4, le);
            if (t >= count) bad(t, m + 4, `parameter ${j}`);
          }
        }
        break;
      }
      case Kind.Array: {
        const t = v.getUint32(p + 12, le);
        if (t >= count) bad(t, p + 12, 'array element type');
        const it = v.getUint32(p + 16, le);
        if (it >= count) bad(it, p + 16, 'array index type');
        break;
      }
      case Kind.Struct:
      case Kind.Union:
        for (let j = 0, m = p + 12; j < vlen; j++, m += 12) {
          const t = v.getUint32(m + 4, le);
          if (t >= count) bad(t, m + 4, `member ${j}`);
        }
        break;
      case Kind.Datasec:
        for (let j = 0, m = p + 12; j < vlen; j++, m += 12) {
          const t = v.getUint32(m, le);
          if (t >= count) bad(t, m, `datasec variable ${j}`);
        }
        break;
      default:
        break;
    }
  }
}
