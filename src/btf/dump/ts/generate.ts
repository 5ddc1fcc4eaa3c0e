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
 *
 * This file writes the module and each kind's declarations; the pieces it
 * uses: names.ts (TS names, collisions, keywords), type-view.ts (what a BTF
 * type is in TS), value-code.ts and member-code.ts (codec code for values
 * and for struct/union members), selection.ts (which types), lines.ts
 * (output with a size limit), prelude.ts (the runtime helpers).
 */
import type { Btf } from '../../btf.js';
import { Kind } from '../../kinds.js';
import type { AnyBtfType, CompositeType, RefType } from '../../types.js';
import { VERSION } from '../../../version.js';
import { Lines } from './lines.js';
import { MemberCode } from './member-code.js';
import { objKey, propKey } from './names.js';
import { prelude } from './prelude.js';
import { selectIds } from './selection.js';
import { TypeView } from './type-view.js';
import { ValueCode } from './value-code.js';

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

/** Writes the module: header and prelude, then each selected type's
 * declarations with their codecs, then the typedef codecs. */
class Generator {
  private readonly view: TypeView;
  private readonly values: ValueCode;
  private readonly members: MemberCode;
  private readonly out: Lines;
  private readonly late: Lines;

  constructor(
    private readonly btf: Btf,
    maxBytes: number,
  ) {
    this.view = new TypeView(btf);
    this.values = new ValueCode(this.view);
    this.members = new MemberCode(this.view, this.values);
    this.out = new Lines(maxBytes);
    // The late lines end up in the same module: they share the limit.
    this.late = new Lines(maxBytes);
  }

  private emitComposite(id: number, t: CompositeType, name: string): void {
    const o = this.out;
    const leaves = this.members.leaves(t, 0, false, []);
    const cname = t.name === '' ? `anonymous ${t.kind === Kind.Struct ? 'struct' : 'union'}` : `${t.kind === Kind.Struct ? 'struct' : 'union'} ${t.name}`;
    o.push(`/** ${cname} (BTF id ${id}, ${t.size} bytes) */`);
    o.push(`export interface ${name} {`);
    for (const l of leaves) o.push(`  ${propKey(l.name)}${l.optional ? '?' : ''}: ${this.view.tsType(l.type)};`);
    o.push('}');
    const align = this.view.alignOrOne(id);
    o.push(`export const ${name}: Codec<${name}> = $codec<${name}>(`, `  ${t.size},`, `  ${align},`);
    if (leaves.length === 0) o.push('  (_v, _o, _le) => ({}),');
    else {
      o.push('  (v, o, le) => ({');
      for (const l of leaves) o.push(`    ${objKey(l.name)}: ${this.members.leafDecode(l)},`);
      o.push('  }),');
    }
    const writes: string[] = [];
    this.members.compositeWrites(t, 0, false, new Set(leaves.map((l) => l.member)), '    ', writes);
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
    o.push(`export type ${name} = ${this.view.tsType(t.type)};`, '');
    const rid = this.view.resolve(t.type);
    const rt = this.view.t(rid);
    if (rt === undefined || rt.kind === Kind.FuncProto || rt.kind === Kind.Fwd || rt.kind === Kind.Func) return;
    const size = this.view.sizeOrUndefined(t.type);
    if (size === undefined) return;
    if (rt.kind === Kind.Struct || rt.kind === Kind.Union) {
      const target = this.view.names.byId.get(rid);
      if (target !== undefined) this.late.push(`export const ${name}: Codec<${name}> = ${target};`);
      return;
    }
    const writes: string[] = [];
    this.values.writeStmts(t.type, 'x', 'o', 0, '    ', writes);
    const l = this.late;
    l.push(`export const ${name}: Codec<${name}> = $codec<${name}>(`, `  ${size},`, `  ${this.view.alignOrOne(t.type)},`);
    l.push(`  (v, o, le) => ${this.values.decodeExpr(t.type, 'o', 0)},`);
    if (writes.length === 0) l.push('  (_x, _v, _o, _le) => {},');
    else {
      l.push('  (x, v, o, le) => {');
      l.pushAll(writes);
      l.push('  },');
    }
    l.push(');');
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
    const sel = selectIds(this.view, roots);
    const ids = [...sel].sort((a, b) => a - b);
    for (const id of ids) {
      if (this.view.names.aliasOf.has(id)) continue;
      const name = this.view.names.byId.get(id)!;
      const t = this.view.t(id)!;
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
