import { Kind } from '../kinds.js';

/**
 * The dedup's working copy of a BTF: every id (base and own) as one record
 * of 32-bit words in a single Uint32Array, laid out like the wire format
 * (name, info, size-or-type, then the kind's extra words), except that every
 * name word holds a small string number instead of a string offset: equal
 * names have equal numbers, so every comparison and hash the passes make is
 * an integer operation, and nothing per type lives on the JS heap. The
 * reference pass rewrites ids inside own records in place, as libbpf does.
 *
 * Id 0 (void) is an all-zero record (kind 0, no name), which libbpf also
 * compares against, so comparisons with it simply fail. The info word is
 * (kind << 24) | kind_flag << 31 | vlen, with a FUNC's linkage as its vlen.
 *
 * Extra words per kind: INT its data word; ARRAY type, index type, nelems;
 * STRUCT/UNION (name, type, offset word) per member; ENUM (name, value) and
 * ENUM64 (name, low, high) per enumerator; FUNC_PROTO (name, type) per
 * parameter; VAR linkage; DECL_TAG component index; DATASEC (type, offset,
 * size) per variable. A base type of a kind newer than this code is
 * [name, 0, 0], which nothing can equal.
 */
export class DedupRecords {
  constructor(
    /** All records back to back. */
    readonly words: Uint32Array,
    /** Word offset of each id's record (length: count + 1). */
    readonly off: Uint32Array,
    readonly firstId: number,
    /** Number of ids including void: valid ids are 0 .. count-1. */
    readonly count: number,
    /** String by string number (0 is ''). */
    readonly strs: readonly string[],
    /** The number of a string, if it has one. */
    readonly numberOf: (s: string) => number | undefined,
  ) {}

  info(id: number): number {
    return this.words[this.off[id] + 1];
  }

  kind(id: number): number {
    return (this.words[this.off[id] + 1] >>> 24) & 0x7f;
  }

  vlen(id: number): number {
    return this.words[this.off[id] + 1] & 0xffffff;
  }

  kflag(id: number): boolean {
    return this.words[this.off[id] + 1] >>> 31 === 1;
  }

  /** String number of the type's name. */
  name(id: number): number {
    return this.words[this.off[id]];
  }

  /** The third header word: size or referenced type, as stored. */
  sot(id: number): number {
    return this.words[this.off[id] + 2];
  }
}

export function isComposite(kind: number): boolean {
  return kind === Kind.Struct || kind === Kind.Union;
}

/** Words per vlen entry of the kinds whose entries start with a name. */
export function nameStride(kind: number): number {
  switch (kind) {
    case Kind.Struct:
    case Kind.Union:
    case Kind.Enum64:
      return 3;
    case Kind.Enum:
    case Kind.FuncProto:
      return 2;
    default:
      return 0;
  }
}
