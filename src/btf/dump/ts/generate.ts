/**
 * BTF → TypeScript: `bpfkit btf dump <file> --format ts`.
 *
 * One self-contained module (no imports) with, for the BTF's types:
 *
 * - struct/union → `export interface name { ... }` and a codec
 *   `export const name: Codec<name>` with size, align, decode, encode,
 *   write, fromBytes, toBytes: straight-line code per type, generated from
 *   the BTF layout (member offsets, bitfields, padding), not interpreted at
 *   run time;
 * - enum → `export const name = { A: 0, ... } as const` and
 *   `export type name = number` (`bigint` for 64-bit enums);
 * - typedef → `export type name = target` and a codec for it;
 * - forward declaration without a definition → `export type name = Uint8Array`.
 *
 * Value mapping: integers up to 32 bits, floats and doubles → number;
 * 64-bit integers and enums → bigint; __int128 → bigint; _Bool → boolean;
 * pointers (function pointers too) → their address, bigint for 64-bit
 * targets (number for 32-bit); arrays of number or bigint elements → typed
 * arrays (copies); `char` arrays → string (up to the first NUL, one
 * character per byte); other arrays → JS arrays; flexible arrays → length
 * 0; long double and other sizes JS cannot represent → Uint8Array.
 *
 * Byte order: every codec takes it as a parameter (`littleEndian`), which
 * defaults to the BTF's own byte order (`BTF_LITTLE_ENDIAN`). BTF bitfield
 * offsets count from the least significant bit on little-endian targets and
 * from the most significant bit on big-endian ones, and the codecs follow
 * the byte order they are given, so one module serves both bpfel and bpfeb
 * data of the same types.
 *
 * Unions: every member is optional in the interface. decode fills in all
 * of them (they overlap: each is the same bytes seen as that member).
 * write/encode writes the members that are present, the last declared
 * first, so that where present members overlap the first declared one
 * wins; decode then encode reproduces every byte that some member covers.
 * Anonymous struct/union members are flattened into the parent, as in C;
 * fields that sit (at any depth) inside a union are optional.
 */
import { BpfkitError } from '../../../internal/errors.js';
import type { Btf } from '../../btf.js';
import { INT_BOOL, INT_CHAR, INT_SIGNED, Kind } from '../../kinds.js';
import { alignOf, pointerSize, sizeOf } from '../../sizes.js';
import type { AnyBtfType, CompositeType, Member, RefType } from '../../types.js';
import { VERSION } from '../../../version.js';
import { Names, objKey, propAccess, propKey } from './names.js';
import { prelude, TYPED_ARRAYS, type TypedArraySuffix } from './prelude.js';

export interface DumpTsOptions {
  /** Emit only these types and what they use by value (VAR and DATASEC ids
   * stand for their variables' types). Default: every type; for split BTF
   * (a module's, on vmlinux), its own types and the base types they use. */
  rootIds?: number[];
  /** Where the BTF came from, for the header comment. */
  source?: string;
  /** The most characters of output (default 256 Mi, half of what a V8
   * string can hold); a module that would exceed it throws BpfkitError
   * TOO_LARGE. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 256 * 2 ** 20;

/** Typedef/modifier chains and array nesting deeper than this are refused
 * (real BTF has a handful; a cycle would be endless). */
const MAX_CHAIN = 64;

/**
 * Lines of output with a running size, so that an enormous module fails
 * with TOO_LARGE before it is joined (or before V8's string limit).
 */
class Lines {
  readonly lines: string[] = [];
  private size = 0;
  constructor(private readonly max: number) {}

  get length(): number {
    return this.lines.length;
  }

  push(...items: string[]): void {
    this.pushAll(items);
  }

  /** Append an array of lines (no spread: it may be longer than the
   * engine's argument limit). */
  pushAll(items: readonly string[]): void {
    for (const l of items) {
      // Joined with '\n' between lines.
      this.size += this.lines.length === 0 ? l.length : l.length + 1;
      if (this.size > this.max) throw new BpfkitError('TOO_LARGE', `output exceeds the limit of ${this.max} characters`);
      this.lines.push(l);
    }
  }
}

/** How a scalar is read. */
type Scalar =
  | { k: 'ta'; suffix: TypedArraySuffix; size: number; signed: boolean; big: boolean }
  | { k: 'bool'; size: number }
  | { k: 'i128'; signed: boolean }
  | { k: 'bytes'; size: number };

const TA_BY_SUFFIX = new Map(TYPED_ARRAYS.map((t) => [t[0], t] as const));

const MODS = new Set<number>([Kind.Const, Kind.Volatile, Kind.Restrict, Kind.TypeTag]);

interface Leaf {
  member: Member;
  name: string;
  type: number;
  /** Bit offset from the start of the named composite. */
  bitOff: number;
  /** Bitfield width, 0 for ordinary members. */
  width: number;
  optional: boolean;
}

class Generator {
  private readonly names: Names;
  private readonly ptrSize: number;
  private readonly out: Lines;
  private readonly late: Lines;

  constructor(
    private readonly btf: Btf,
    maxBytes: number,
  ) {
    this.names = new Names(btf);
    this.ptrSize = pointerSize(btf);
    this.out = new Lines(maxBytes);
    // The late lines end up in the same module: they share the limit.
    this.late = new Lines(maxBytes);
  }

  private t(id: number): AnyBtfType | undefined {
    return id === 0 ? undefined : this.btf.type(id);
  }

  /** Skip modifiers and typedefs; 0 for void. */
  private resolve(id: number): number {
    const start = id;
    for (let d = 0; d < MAX_CHAIN; d++) {
      const t = this.t(id);
      if (t === undefined) return 0;
      if (MODS.has(t.kind) || t.kind === Kind.Typedef) id = (t as { type: number }).type;
      else return id;
    }
    throw new BpfkitError('BAD_VALUE', `typedef/modifier chain longer than ${MAX_CHAIN} (or cyclic)`, { typeId: start });
  }

  /** Refuse arrays nested too deep (an array whose element type leads back to it). */
  private static nest(depth: number, id: number): void {
    if (depth >= MAX_CHAIN) throw new BpfkitError('BAD_VALUE', `arrays nested more than ${MAX_CHAIN} deep (or cyclic)`, { typeId: id });
  }

  private sizeOrUndefined(id: number): number | undefined {
    try {
      return sizeOf(this.btf, id);
    } catch {
      return undefined;
    }
  }

  private alignOrOne(id: number): number {
    try {
      return alignOf(this.btf, id);
    } catch {
      return 1;
    }
  }

  /** The scalar form of a resolved type, or undefined for composites/arrays/void. */
  private scalar(rid: number): Scalar | undefined {
    const t = this.t(rid);
    if (t === undefined) return undefined;
    const ta = (size: number, signed: boolean, float = false): Scalar => {
      if (float) {
        if (size === 4) return { k: 'ta', suffix: 'f32', size, signed: true, big: false };
        if (size === 8) return { k: 'ta', suffix: 'f64', size, signed: true, big: false };
        return { k: 'bytes', size };
      }
      switch (size) {
        case 1:
          return { k: 'ta', suffix: signed ? 'i8' : 'u8', size, signed, big: false };
        case 2:
          return { k: 'ta', suffix: signed ? 'i16' : 'u16', size, signed, big: false };
        case 4:
          return { k: 'ta', suffix: signed ? 'i32' : 'u32', size, signed, big: false };
        case 8:
          return { k: 'ta', suffix: signed ? 'i64' : 'u64', size, signed, big: true };
        case 16:
          return { k: 'i128', signed };
        default:
          return { k: 'bytes', size };
      }
    };
    switch (t.kind) {
      case Kind.Int:
        if (t.encoding & INT_BOOL) return t.size === 1 || t.size === 2 || t.size === 4 ? { k: 'bool', size: t.size } : ta(t.size, false);
        return ta(t.size, (t.encoding & INT_SIGNED) !== 0);
      case Kind.Enum:
      case Kind.Enum64:
        return ta(t.size, t.kflag);
      case Kind.Ptr:
        return ta(this.ptrSize, false);
      case Kind.Float:
        return ta(t.size, true, true);
      default:
        return undefined;
    }
  }

  private isCharLike(rid: number): boolean {
    const t = this.t(rid);
    return t !== undefined && t.kind === Kind.Int && t.size === 1 && (t.encoding & INT_BOOL) === 0 && (t.name === 'char' || (t.encoding & INT_CHAR) !== 0);
  }

  private scalarTs(s: Scalar): string {
    switch (s.k) {
      case 'ta':
        return s.big ? 'bigint' : 'number';
      case 'bool':
        return 'boolean';
      case 'i128':
        return 'bigint';
      case 'bytes':
        return 'Uint8Array';
    }
  }

  /** The TS type of a value of type `id` (names kept for typedefs/tags). */
  tsType(id: number, depth = 0): string {
    if (depth > 64) return 'unknown';
    const t = this.t(id);
    if (t === undefined) return 'void';
    switch (t.kind) {
      case Kind.Const:
      case Kind.Volatile:
      case Kind.Restrict:
      case Kind.TypeTag:
        return this.tsType(t.type, depth + 1);
      case Kind.Typedef:
      case Kind.Struct:
      case Kind.Union:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Fwd:
        return this.names.byId.get(id) ?? (t.kind === Kind.Typedef ? this.tsType(t.type, depth + 1) : 'unknown');
      case Kind.Array: {
        const er = this.resolve(t.type);
        if (this.isCharLike(er)) return 'string';
        const s = this.scalar(er);
        if (s !== undefined && s.k === 'ta') return TA_BY_SUFFIX.get(s.suffix)![2];
        return `${this.tsType(t.type, depth + 1)}[]`;
      }
      case Kind.FuncProto:
        return 'unknown';
      default: {
        const s = this.scalar(id);
        return s === undefined ? 'unknown' : this.scalarTs(s);
      }
    }
  }

  private static add(off: string, k: number): string {
    return k === 0 ? off : `${off} + ${k}`;
  }

  /** An expression reading a value of type `id` at byte offset `off`. */
  private decodeExpr(id: number, off: string, depth: number): string {
    Generator.nest(depth, id);
    const rid = this.resolve(id);
    const t = this.t(rid);
    if (t === undefined) return 'undefined';
    switch (t.kind) {
      case Kind.Struct:
      case Kind.Union: {
        const n = this.names.byId.get(rid);
        return n === undefined ? 'undefined as never' : `${n}.decode(v, ${off}, le)`;
      }
      case Kind.Array: {
        const er = this.resolve(t.type);
        const n = t.nelems;
        if (this.isCharLike(er)) return `$str(v, ${off}, ${n})`;
        const s = this.scalar(er);
        if (s !== undefined && s.k === 'ta') return `$r_${s.suffix}(v, ${off}, ${n}, le)`;
        const stride = this.sizeOrUndefined(t.type) ?? 0;
        const i = `i${depth}`;
        return `$arr(${n}, (${i}) => ${this.decodeExpr(t.type, `${off} + ${i} * ${stride}`, depth + 1)})`;
      }
      case Kind.Fwd:
        return `$bytes(v, ${off}, 0)`;
      default: {
        const s = this.scalar(rid);
        if (s === undefined) return 'undefined as never';
        return this.scalarRead(s, off);
      }
    }
  }

  private scalarRead(s: Scalar, off: string): string {
    switch (s.k) {
      case 'ta': {
        const acc = TA_BY_SUFFIX.get(s.suffix)![1];
        return s.size === 1 ? `v.get${acc}(${off})` : `v.get${acc}(${off}, le)`;
      }
      case 'bool':
        return s.size === 1 ? `v.getUint8(${off}) !== 0` : `v.getUint${s.size * 8}(${off}, le) !== 0`;
      case 'i128':
        return `$r128(v, ${off}, le, ${s.signed})`;
      case 'bytes':
        return `$bytes(v, ${off}, ${s.size})`;
    }
  }

  /** Statements writing `val` (an expression of the type's TS type) at `off`. */
  private writeStmts(id: number, val: string, off: string, depth: number, ind: string, out: string[]): void {
    Generator.nest(depth, id);
    const rid = this.resolve(id);
    const t = this.t(rid);
    if (t === undefined) return;
    switch (t.kind) {
      case Kind.Struct:
      case Kind.Union: {
        const n = this.names.byId.get(rid);
        if (n !== undefined) out.push(`${ind}${n}.write(${val}, v, ${off}, le);`);
        return;
      }
      case Kind.Array: {
        const er = this.resolve(t.type);
        const n = t.nelems;
        if (this.isCharLike(er)) {
          out.push(`${ind}$wstr(v, ${off}, ${n}, ${val});`);
          return;
        }
        const s = this.scalar(er);
        if (s !== undefined && s.k === 'ta') {
          out.push(`${ind}$w_${s.suffix}(v, ${off}, ${n}, le, ${val});`);
          return;
        }
        const stride = this.sizeOrUndefined(t.type) ?? 0;
        const a = `a${depth}`;
        const i = `i${depth}`;
        const o = `o${depth}`;
        out.push(`${ind}{`, `${ind}  const ${a} = ${val};`, `${ind}  for (let ${i} = 0; ${i} < ${n}; ${i}++) {`);
        out.push(`${ind}    const ${o} = ${off} + ${i} * ${stride};`);
        out.push(`${ind}    if (${i} >= ${a}.length) $zero(v, ${o}, ${stride});`, `${ind}    else {`);
        this.writeStmts(t.type, `${a}[${i}]`, o, depth + 1, ind + '      ', out);
        out.push(`${ind}    }`, `${ind}  }`, `${ind}}`);
        return;
      }
      case Kind.Fwd:
        return;
      default: {
        const s = this.scalar(rid);
        if (s !== undefined) out.push(`${ind}${this.scalarWrite(s, val, off)};`);
      }
    }
  }

  private scalarWrite(s: Scalar, val: string, off: string): string {
    switch (s.k) {
      case 'ta': {
        if (s.suffix === 'f32' || s.suffix === 'f64') return `$w${s.suffix}(v, ${off}, ${val}, le)`;
        const acc = TA_BY_SUFFIX.get(s.suffix)![1];
        return s.size === 1 ? `v.set${acc}(${off}, ${val})` : `v.set${acc}(${off}, ${val}, le)`;
      }
      case 'bool':
        return `$wbool(v, ${off}, ${s.size}, le, ${val})`;
      case 'i128':
        return `$w128(v, ${off}, le, ${val})`;
      case 'bytes':
        return `$wbytes(v, ${off}, ${s.size}, ${val})`;
    }
  }

  /** The bitfield (bit offset, width) of a member, or width 0. */
  private bitfield(bitOff: number, declWidth: number, type: number): { bitOff: number; width: number } {
    const rid = this.resolve(type);
    const t = this.t(rid);
    if (declWidth > 0) return { bitOff, width: declWidth };
    if (t !== undefined && t.kind === Kind.Int && (t.bitsOffset !== 0 || t.bits !== t.size * 8) && t.bits > 0) {
      return { bitOff: bitOff + t.bitsOffset, width: t.bits };
    }
    if (bitOff % 8 !== 0) {
      // A scalar member off a byte boundary: read it as a bitfield of its size.
      const s = this.scalar(rid);
      const size = this.sizeOrUndefined(rid);
      if (s !== undefined && size !== undefined && size <= 16) return { bitOff, width: size * 8 };
    }
    return { bitOff, width: 0 };
  }

  /**
   * The members of a composite with anonymous struct/union members flattened.
   * An anonymous composite is flattened once: a second use of the same type
   * (only in BTF that no C compiler produced) would add nothing but names
   * already taken, and a type flattened into itself would never end.
   */
  private leaves(
    t: CompositeType,
    bitBase: number,
    optional: boolean,
    out: Leaf[],
    depth = 0,
    seen = new Set<string>(),
    flattened = new Set<CompositeType>([t]),
  ): Leaf[] {
    const opt = optional || t.kind === Kind.Union;
    for (const m of t.members) {
      if (m.name === '') {
        const r = this.resolve(m.type);
        const c = this.t(r);
        if (c !== undefined && (c.kind === Kind.Struct || c.kind === Kind.Union) && depth < 32 && !flattened.has(c)) {
          flattened.add(c);
          this.leaves(c, bitBase + m.bitsOffset, opt, out, depth + 1, seen, flattened);
        }
        continue;
      }
      // C forbids duplicate names (also across flattened members); if the
      // BTF has them anyway, the first one is kept.
      if (seen.has(m.name)) continue;
      seen.add(m.name);
      const bf = this.bitfield(bitBase + m.bitsOffset, m.bitfieldSize, m.type);
      out.push({ member: m, name: m.name, type: m.type, bitOff: bf.bitOff, width: bf.width, optional: opt });
    }
    return out;
  }

  private leafDecode(l: Leaf): string {
    if (l.width === 0) return this.decodeExpr(l.type, Generator.add('o', Math.floor(l.bitOff / 8)), 0);
    const s = this.scalar(this.resolve(l.type));
    const args = `v, o, ${l.bitOff}, ${l.width}, le`;
    if (s === undefined) return 'undefined as never';
    switch (s.k) {
      case 'bool':
        return `$ub(${args}) !== 0`;
      case 'ta':
        if (s.big) return s.signed ? `$sbB(${args})` : `$ubB(${args})`;
        if (l.width > 32) return `Number(${s.signed ? '$sbB' : '$ubB'}(${args}))`;
        return s.signed ? `$sb(${args})` : `$ub(${args})`;
      case 'i128':
        return s.signed ? `$sbB(${args})` : `$ubB(${args})`;
      case 'bytes':
        return `$bytes(v, o, 0)`;
    }
  }

  private leafWrite(l: Leaf, val: string, ind: string, out: string[]): void {
    if (l.width === 0) {
      this.writeStmts(l.type, val, Generator.add('o', Math.floor(l.bitOff / 8)), 0, ind, out);
      return;
    }
    const s = this.scalar(this.resolve(l.type));
    const args = `v, o, ${l.bitOff}, ${l.width}, le`;
    if (s === undefined) return;
    switch (s.k) {
      case 'bool':
        out.push(`${ind}$wb(${args}, ${val} ? 1 : 0);`);
        return;
      case 'ta':
        if (s.big) out.push(`${ind}$wbB(${args}, ${val});`);
        else if (l.width > 32) out.push(`${ind}$wbB(${args}, BigInt(${val}));`);
        else out.push(`${ind}$wb(${args}, ${val});`);
        return;
      case 'i128':
        out.push(`${ind}$wbB(${args}, ${val});`);
        return;
      case 'bytes':
        return;
    }
  }

  /** Write statements for a composite's members; unions last member first. */
  private compositeWrites(
    t: CompositeType,
    bitBase: number,
    optional: boolean,
    keep: Set<Member>,
    ind: string,
    out: string[],
    depth = 0,
    flattened = new Set<CompositeType>([t]),
  ): void {
    const opt = optional || t.kind === Kind.Union;
    const members = t.kind === Kind.Union ? [...t.members].reverse() : t.members;
    for (const m of members) {
      if (m.name === '') {
        const c = this.t(this.resolve(m.type));
        // Flattened once, as in leaves() (whose members `keep` holds).
        if (c !== undefined && (c.kind === Kind.Struct || c.kind === Kind.Union) && depth < 32 && !flattened.has(c)) {
          flattened.add(c);
          this.compositeWrites(c, bitBase + m.bitsOffset, opt, keep, ind, out, depth + 1, flattened);
        }
        continue;
      }
      if (!keep.has(m)) continue;
      const bf = this.bitfield(bitBase + m.bitsOffset, m.bitfieldSize, m.type);
      const leaf: Leaf = { member: m, name: m.name, type: m.type, bitOff: bf.bitOff, width: bf.width, optional: opt };
      const val = propAccess('x', m.name);
      if (opt) {
        out.push(`${ind}if (${val} !== undefined) {`);
        this.leafWrite(leaf, val, ind + '  ', out);
        out.push(`${ind}}`);
      } else this.leafWrite(leaf, val, ind, out);
    }
  }

  private emitComposite(id: number, t: CompositeType, name: string): void {
    const o = this.out;
    const leaves = this.leaves(t, 0, false, []);
    const cname = t.name === '' ? `anonymous ${t.kind === Kind.Struct ? 'struct' : 'union'}` : `${t.kind === Kind.Struct ? 'struct' : 'union'} ${t.name}`;
    o.push(`/** ${cname} (BTF id ${id}, ${t.size} bytes) */`);
    o.push(`export interface ${name} {`);
    for (const l of leaves) o.push(`  ${propKey(l.name)}${l.optional ? '?' : ''}: ${this.tsType(l.type)};`);
    o.push('}');
    const align = this.alignOrOne(id);
    o.push(`export const ${name}: Codec<${name}> = $codec<${name}>(`, `  ${t.size},`, `  ${align},`);
    if (leaves.length === 0) o.push('  (_v, _o, _le) => ({}),');
    else {
      o.push('  (v, o, le) => ({');
      for (const l of leaves) o.push(`    ${objKey(l.name)}: ${this.leafDecode(l)},`);
      o.push('  }),');
    }
    const writes: string[] = [];
    this.compositeWrites(t, 0, false, new Set(leaves.map((l) => l.member)), '    ', writes);
    if (writes.length === 0) o.push('  (_x, _v, _o, _le) => {},');
    else {
      o.push('  (x, v, o, le) => {');
      o.pushAll(writes);
      o.push('  },');
    }
    o.push(');', '');
  }

  private emitEnum(id: number, t: AnyBtfType & { kind: Kind.Enum | Kind.Enum64 }, name: string): void {
    const o = this.out;
    const big = t.size === 8 || t.kind === Kind.Enum64;
    o.push(`/** enum ${t.name === '' ? '(anonymous)' : t.name} (BTF id ${id}, ${t.size} bytes${t.kflag ? ', signed' : ''}) */`);
    if (t.values.length === 0) o.push(`export const ${name} = {} as const;`);
    else {
      o.push(`export const ${name} = {`);
      for (const v of t.values) {
        const lit = big ? `${BigInt(v.value)}n` : String(v.value);
        o.push(`  ${objKey(v.name)}: ${lit},`);
      }
      o.push('} as const;');
    }
    o.push(`export type ${name} = ${big ? 'bigint' : 'number'};`, '');
  }

  private emitTypedef(id: number, t: RefType, name: string): void {
    const o = this.out;
    o.push(`/** typedef ${t.name} (BTF id ${id}) */`);
    o.push(`export type ${name} = ${this.tsType(t.type)};`, '');
    const rid = this.resolve(t.type);
    const rt = this.t(rid);
    if (rt === undefined || rt.kind === Kind.FuncProto || rt.kind === Kind.Fwd || rt.kind === Kind.Func) return;
    const size = this.sizeOrUndefined(t.type);
    if (size === undefined) return;
    if (rt.kind === Kind.Struct || rt.kind === Kind.Union) {
      const target = this.names.byId.get(rid);
      if (target !== undefined) this.late.push(`export const ${name}: Codec<${name}> = ${target};`);
      return;
    }
    const writes: string[] = [];
    this.writeStmts(t.type, 'x', 'o', 0, '    ', writes);
    const l = this.late;
    l.push(`export const ${name}: Codec<${name}> = $codec<${name}>(`, `  ${size},`, `  ${this.alignOrOne(t.type)},`);
    l.push(`  (v, o, le) => ${this.decodeExpr(t.type, 'o', 0)},`);
    if (writes.length === 0) l.push('  (_x, _v, _o, _le) => {},');
    else {
      l.push('  (x, v, o, le) => {');
      l.pushAll(writes);
      l.push('  },');
    }
    l.push(');');
  }

  /** Ids to emit: everything named, or the by-value closure of the roots. */
  private selection(rootIds: number[] | undefined): Set<number> {
    const sel = new Set<number>();
    if (rootIds === undefined) {
      for (const id of this.names.byId.keys()) sel.add(id);
      return sel;
    }
    const seen = new Set<number>();
    const stack = [...rootIds];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id === 0 || seen.has(id) || !this.btf.hasId(id)) continue;
      seen.add(id);
      const t = this.t(id)!;
      if (this.names.byId.has(id)) sel.add(id);
      const alias = this.names.aliasOf.get(id);
      if (alias !== undefined) stack.push(alias);
      switch (t.kind) {
        case Kind.Struct:
        case Kind.Union:
          for (const m of t.members) stack.push(m.type);
          break;
        case Kind.Typedef:
        case Kind.Const:
        case Kind.Volatile:
        case Kind.Restrict:
        case Kind.TypeTag:
        case Kind.Array:
        case Kind.Var:
          stack.push(t.type);
          break;
        case Kind.Datasec:
          for (const v of t.vars) stack.push(v.type);
          break;
        default:
          break;
      }
    }
    return sel;
  }

  run(opts: DumpTsOptions): string {
    const btf = this.btf;
    const src = (opts.source ?? '(BTF)').replace(/[\u0000-\u001f\u007f]/g, '?');
    const o = this.out;
    o.push(
      `// Generated by \`bpfkit btf dump --format ts\` (bpfkit ${VERSION}) from ${src}.`,
      '// Do not edit. Needs TypeScript target/lib ES2020 or later (bigint, DataView BigInt64 accessors).',
      '//',
      '// Codecs take the byte order as a parameter (default: the BTF\'s, BTF_LITTLE_ENDIAN).',
      '// Unions: members are optional; decode fills in all of them; encode writes the present',
      '// ones, the last declared first, so the first declared wins where they overlap.',
      '// Typed arrays and Uint8Arrays returned by decode are copies; char arrays are strings',
      '// (bytes up to the first NUL, one character per byte); _Bool is boolean.',
      '/* eslint-disable */',
      '',
      prelude(btf.littleEndian),
    );
    // Split BTF (a module on vmlinux): its own types and what they use.
    let roots = opts.rootIds;
    if (roots === undefined && btf.base !== undefined) {
      roots = [];
      for (let id = btf.firstId; id < btf.typeCount; id++) roots.push(id);
    }
    const sel = this.selection(roots);
    const ids = [...sel].sort((a, b) => a - b);
    for (const id of ids) {
      if (this.names.aliasOf.has(id)) continue;
      const name = this.names.byId.get(id)!;
      const t = this.t(id)!;
      switch (t.kind) {
        case Kind.Struct:
        case Kind.Union:
          this.emitComposite(id, t, name);
          break;
        case Kind.Enum:
        case Kind.Enum64:
          this.emitEnum(id, t, name);
          break;
        case Kind.Typedef:
          this.emitTypedef(id, t, name);
          break;
        case Kind.Fwd:
          o.push(`/** ${t.kflag ? 'union' : 'struct'} ${t.name}: forward declaration only, layout unknown (BTF id ${id}) */`);
          o.push(`export type ${name} = Uint8Array;`, '');
          break;
        default:
          break;
      }
    }
    if (this.late.length > 0) {
      o.push('// Codecs of typedefs (after the struct codecs they may name).');
      o.pushAll(this.late.lines);
      o.push('');
    }
    return o.lines.join('\n');
  }
}

/**
 * A self-contained TypeScript module with declarations and codecs for the
 * BTF's types (see the file comment for the mapping and its rules).
 */
export function dumpTs(btf: Btf, opts: DumpTsOptions = {}): string {
  return new Generator(btf, opts.maxBytes ?? DEFAULT_MAX_BYTES).run(opts);
}
