import { BpfkitError } from '../internal/errors.js';
import { StringTable } from '../internal/strings.js';
import { decodeType, nameResolver, type NameOf } from './decode.js';
import { Kind } from './kinds.js';
import type { AnyBtfType, KindLayout } from './types.js';
import type { BtfHeader } from './wire.js';
import type { BtfWire } from './wire-index.js';

/**
 * A parsed BTF: an id-stable table of types over a string table, optionally
 * stacked on a base BTF (split BTF, as for kernel modules). Type ids and
 * string offsets of a split BTF continue where its base ends.
 *
 * Types read from bytes are decoded lazily from the wire index: vmlinux has
 * 126k types and most tools touch few of them.
 */
export class Btf {
  /** This BTF's own string table (offsets start at `strOffsetBase`). */
  readonly strings: StringTable;
  readonly base: Btf | undefined;
  readonly littleEndian: boolean;
  /** The header as read (kept so that re-encoding is exact). */
  readonly header: BtfHeader | undefined;
  /** Layout section entries, when the BTF carries one. */
  readonly layout: KindLayout[] | undefined;
  private wireIndex: BtfWire | undefined;
  /** Types decoded so far, by index; allocated on the first decode (an
   * array of 126k slots is 0.5 MB that a dump from the wire never uses). */
  private decoded: (AnyBtfType | undefined)[] | undefined;
  private list: AnyBtfType[] | undefined;
  private byName: Map<string, number[]> | undefined;
  private readonly nameOf: NameOf;

  constructor(init: {
    types?: AnyBtfType[];
    wire?: BtfWire;
    strings: StringTable;
    base?: Btf;
    littleEndian: boolean;
    header?: BtfHeader;
    layout?: KindLayout[];
  }) {
    this.strings = init.strings;
    this.base = init.base;
    this.littleEndian = init.littleEndian;
    this.header = init.header;
    this.layout = init.layout;
    this.wireIndex = init.wire;
    this.list = init.types;
    const baseBtf = this.base;
    this.nameOf =
      init.wire !== undefined
        ? nameResolver(init.wire, this.strings, baseBtf !== undefined ? (o) => baseBtf.str(o) : undefined)
        : (o) => this.str(o);
  }

  /**
   * The wire index this BTF was read from, while it still describes the
   * types exactly. Handing out the mutable `types` list drops it.
   */
  get wire(): BtfWire | undefined {
    return this.wireIndex;
  }

  /** This BTF's own types, in id order (`types[i]` has id `firstId + i`).
   * The list is the model: edit it to change the BTF. */
  get types(): AnyBtfType[] {
    if (this.list === undefined) {
      const w = this.wireIndex!;
      const out: AnyBtfType[] = new Array(w.count);
      for (let i = 0; i < w.count; i++) out[i] = this.decoded?.[i] ?? decodeType(w, i, this.nameOf);
      this.list = out;
      this.decoded = undefined;
    }
    this.wireIndex = undefined;
    this.byName = undefined;
    return this.list;
  }

  /** Number of own types. */
  get ownCount(): number {
    return this.list !== undefined ? this.list.length : this.wireIndex!.count;
  }

  /** The id of this BTF's first own type (1, or the base's type count). */
  get firstId(): number {
    return this.base === undefined ? 1 : this.base.typeCount;
  }

  /** Number of ids in use including void (id 0) and the base's types;
   * valid ids are 0 .. typeCount-1. */
  get typeCount(): number {
    return this.firstId + this.ownCount;
  }

  /** Offset of this BTF's first own string in the combined string space. */
  get strOffsetBase(): number {
    return this.base === undefined ? 0 : this.base.strOffsetBase + this.base.strings.size;
  }

  /** The type with this id; undefined for void (0). Throws for unknown ids. */
  type(id: number): AnyBtfType | undefined {
    if (id === 0) return undefined;
    const first = this.firstId;
    if (id >= first && id < this.typeCount) {
      const i = id - first;
      if (this.list !== undefined) return this.list[i];
      const decoded = (this.decoded ??= new Array<AnyBtfType | undefined>(this.wireIndex!.count).fill(undefined));
      let t = decoded[i];
      if (t === undefined) {
        t = decodeType(this.wireIndex!, i, this.nameOf);
        decoded[i] = t;
      }
      return t;
    }
    if (id < first && this.base !== undefined) return this.base.type(id);
    throw new BpfkitError('OUT_OF_RANGE', `type id ${id} does not exist (last is ${this.typeCount - 1})`, { typeId: id });
  }

  /**
   * The name of type `id` ('' for void and anonymous types), read straight
   * from the wire record when the type has not been decoded: name indexes
   * over vmlinux's 126k types need no decoding.
   */
  nameOfId(id: number): string {
    if (id === 0) return '';
    const first = this.firstId;
    if (id >= first && id < this.typeCount) {
      const i = id - first;
      const w = this.wireIndex;
      if (this.list === undefined && w !== undefined && this.decoded?.[i] === undefined) return this.nameOf(w.u32(w.offsets[i]!));
      return this.type(id)!.name;
    }
    if (id < first && this.base !== undefined) return this.base.nameOfId(id);
    throw new BpfkitError('OUT_OF_RANGE', `type id ${id} does not exist (last is ${this.typeCount - 1})`, { typeId: id });
  }

  /** Whether `id` names a type (or void) of this BTF or its base. */
  hasId(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.typeCount;
  }

  /** The string at a combined-space offset (base strings first). */
  str(offset: number): string {
    const b = this.strOffsetBase;
    if (offset < b && this.base !== undefined) return this.base.str(offset);
    return this.strings.get(offset - b);
  }

  /** Ids of all types (own and base) with this name, in id order. */
  idsByName(name: string): readonly number[] {
    if (this.byName === undefined) {
      const m = new Map<string, number[]>();
      const first = this.firstId;
      const n = this.ownCount;
      for (let i = 0; i < n; i++) {
        const nm = this.nameOfId(first + i);
        if (nm === '') continue;
        const list = m.get(nm);
        if (list === undefined) m.set(nm, [first + i]);
        else list.push(first + i);
      }
      this.byName = m;
    }
    const own = this.byName.get(name) ?? [];
    if (this.base === undefined) return own;
    const inBase = this.base.idsByName(name);
    return inBase.length === 0 ? own : [...inBase, ...own];
  }

  /** The first type with this name (and kind, when given). */
  find(name: string, kind?: Kind): AnyBtfType | undefined {
    for (const id of this.idsByName(name)) {
      const t = this.type(id)!;
      if (kind === undefined || t.kind === kind) return t;
    }
    return undefined;
  }

  /** Iterate own types in id order. */
  *[Symbol.iterator](): IterableIterator<AnyBtfType> {
    const first = this.firstId;
    const n = this.ownCount;
    for (let i = 0; i < n; i++) yield this.type(first + i)!;
  }
}
