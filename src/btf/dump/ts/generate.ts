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
 * uses: wire-types.ts (the type records, read from the wire), names.ts (TS
 * names, collisions, keywords), type-view.ts (what a BTF type is in TS),
 * value-code.ts and member-code.ts (codec code for values and for
 * struct/union members), selection.ts (which types), lines.ts (output
 * buffers with a size limit), prelude.ts (the runtime helpers).
 *
 * The module is written as UTF-8 bytes straight into buffers (streamed to
 * a sink when one is given), with names copied from the string table:
 * docs/performance-ts.md has the numbers.
 */
import { BpfkitError } from '../../../internal/errors.js';
import { putAscii, type TextBuffer } from '../../../internal/text-buffer.js';
import type { Btf } from '../../btf.js';
import { Kind } from '../../kinds.js';
import { VERSION } from '../../../version.js';
import { endLines, linesBuffer, putLines, putText } from './lines.js';
import { MemberCode } from './member-code.js';
import { objKey } from './names.js';
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
  /** The most bytes of output, UTF-8 (default 256 Mi; characters and bytes
   * are the same unless the BTF's names are not ASCII); a module that would
   * exceed it throws BpfkitError TOO_LARGE. */
  maxBytes?: number;
  /** Stream the module: chunks of UTF-8 go to `sink` as they fill (each a
   * view valid during the call) and dumpTs returns ''. A vmlinux module
   * (11 MB) then never sits whole in memory. What was handed over stays
   * handed over when a type fails later. */
  sink?: (chunk: Uint8Array) => void;
}

const DEFAULT_MAX_BYTES = 256 * 2 ** 20;
const STREAM_CHUNK = 1 << 18;

/** Writes the module: header and prelude, then each selected type's
 * declarations with their codecs, then the typedef codecs. */
class Generator {
  private readonly view: TypeView;
  private readonly values: ValueCode;
  private readonly members: MemberCode;
  /** Raw C names (comments) are copied from the string table as they are
   * when it is all ASCII; otherwise they are encoded as UTF-8. */
  private readonly asciiNames: boolean;

  constructor(
    btf: Btf,
    private readonly out: TextBuffer,
    /** Typedef codecs, written at the end of the module (they share the limit). */
    private readonly late: TextBuffer,
    /** Write statements, worked out before the line that introduces them. */
    private readonly scratch: TextBuffer,
  ) {
    this.view = new TypeView(btf);
    this.values = new ValueCode(this.view);
    this.members = new MemberCode(this.view, this.values);
    this.asciiNames = this.view.w.ascii;
  }

  /** Append the C name at a name offset (comments). */
  private cName(b: TextBuffer, off: number): void {
    if (this.asciiNames) b.cstr(this.view.w.strs, off);
    else putText(b, this.view.w.name(off));
  }

  /** Append a property key or other text made from a BTF name. */
  private key(b: TextBuffer, s: string): void {
    if (this.asciiNames) b.str(s);
    else putText(b, s);
  }

  private emitComposite(id: number, name: string): void {
    const o = this.out;
    const w = this.view.w;
    const mc = this.members;
    mc.leaves(id);
    const n = mc.count;
    const size = w.sot(id);
    const nameOff = w.nameOff(id);
    const word = w.kind[id] === Kind.Struct ? 'struct' : 'union';
    if (w.isAnon(nameOff)) o.str('/** anonymous ').str(word);
    else {
      o.str('/** ').str(word).byte(32);
      this.cName(o, nameOff);
    }
    o.str(' (BTF id ').int(id).str(', ').int(size).str(' bytes) */\nexport interface ').str(name).str(' {\n');
    for (let i = 0; i < n; i++) {
      const line = this.view.tsLine(mc.type[i], mc.optional[i]);
      if (this.asciiNames) {
        // One reservation for the whole line.
        const key = mc.key[i];
        const buf = o.reserve(2 + key.length + line.length);
        const p = o.pos;
        buf[p] = 32;
        buf[p + 1] = 32;
        o.pos = putAscii(buf, putAscii(buf, p + 2, key), line);
      } else {
        o.str('  ');
        putText(o, mc.key[i]);
        o.str(line);
      }
    }
    o.str('}\n');
    const align = this.view.alignOrOne(id);
    o.str('export const ').str(name).str(': Codec<').str(name).str('> = $codec<').str(name).str('>(\n  ');
    o.int(size).str(',\n  ').int(align).str(',\n');
    if (n === 0) o.str('  (_v, _o, _le) => ({}),\n');
    else {
      o.str('  (v, o, le) => ({\n');
      for (let i = 0; i < n; i++) {
        const key = mc.objKey(i);
        if (this.asciiNames) {
          const buf = o.reserve(6 + key.length);
          const p = o.pos;
          buf[p] = 32;
          buf[p + 1] = 32;
          buf[p + 2] = 32;
          buf[p + 3] = 32;
          const q = putAscii(buf, p + 4, key);
          buf[q] = 58; // ': '
          buf[q + 1] = 32;
          o.pos = q + 2;
        } else {
          o.str('    ');
          putText(o, key);
          o.str(': ');
        }
        mc.leafDecode(o, i);
        o.str(',\n');
      }
      o.str('  }),\n');
    }
    const s = this.scratch;
    s.pos = 0;
    mc.compositeWrites(s, id, '    ');
    if (s.pos === 0) o.str('  (_x, _v, _o, _le) => {},\n');
    else {
      o.str('  (x, v, o, le) => {\n');
      putLines(o, s);
      o.str('  },\n');
    }
    o.str(');\n\n');
  }

  private emitEnum(id: number, name: string): void {
    const o = this.out;
    const w = this.view.w;
    const size = w.sot(id);
    const kind = w.kind[id];
    const kflag = w.kflag(id);
    const big = size === 8 || kind === Kind.Enum64;
    const nameOff = w.nameOff(id);
    o.str('/** enum ');
    if (w.isAnon(nameOff)) o.str('(anonymous)');
    else this.cName(o, nameOff);
    o.str(' (BTF id ').int(id).str(', ').int(size).str(kflag ? ' bytes, signed) */\n' : ' bytes) */\n');
    const vlen = w.vlen(id);
    if (vlen === 0) o.str('export const ').str(name).str(' = {} as const;\n');
    else {
      o.str('export const ').str(name).str(' = {\n');
      const words = w.words;
      const stride = kind === Kind.Enum64 ? 3 : 2;
      for (let j = 0, q = (w.pos[id] >> 2) + 3; j < vlen; j++, q += stride) {
        o.str('  ');
        this.key(o, objKey(w.name(words[q])));
        o.str(': ');
        if (kind === Kind.Enum64) {
          const lo = words[q + 1];
          const hi = words[q + 2];
          if (hi === 0 || (kflag && hi === 0xffffffff && lo !== 0)) {
            // Fits a double: 0 <= v < 2^32, or -2^32 < v < 0.
            o.int(hi === 0 ? lo : lo - 2 ** 32);
          } else {
            const u = (BigInt(hi) << 32n) | BigInt(lo);
            o.str(String(kflag ? BigInt.asIntN(64, u) : u));
          }
        } else o.int(kflag ? words[q + 1] | 0 : words[q + 1]);
        o.str(big ? 'n,\n' : ',\n');
      }
      o.str('} as const;\n');
    }
    o.str('export type ').str(name).str(big ? ' = bigint;\n\n' : ' = number;\n\n');
  }

  private emitTypedef(id: number, name: string): void {
    const o = this.out;
    const view = this.view;
    const w = view.w;
    const type = w.sot(id);
    o.str('/** typedef ');
    this.cName(o, w.nameOff(id));
    o.str(' (BTF id ').int(id).str(') */\nexport type ').str(name).str(' = ').str(view.tsType(type)).str(';\n\n');
    const rid = view.resolve(type);
    const rk = w.kind[rid];
    if (rid === 0 || rk === Kind.FuncProto || rk === Kind.Fwd || rk === Kind.Func) return;
    const size = view.sizeOrNone(type);
    if (size < 0) return;
    const l = this.late;
    if (rk === Kind.Struct || rk === Kind.Union) {
      const target = view.names.byId[rid];
      if (target !== undefined) l.str('export const ').str(name).str(': Codec<').str(name).str('> = ').str(target).str(';\n');
      return;
    }
    const s = this.scratch;
    s.pos = 0;
    this.values.writeStmts(s, type, 'x', 'o', 0, 0, '    ');
    l.str('export const ').str(name).str(': Codec<').str(name).str('> = $codec<').str(name).str('>(\n  ');
    l.int(size).str(',\n  ').int(view.alignOrOne(type)).str(',\n  (v, o, le) => ');
    this.values.decodeExpr(l, type, 'o', 0, 0);
    l.str(',\n');
    if (s.pos === 0) l.str('  (_x, _v, _o, _le) => {},\n');
    else {
      l.str('  (x, v, o, le) => {\n');
      putLines(l, s);
      l.str('  },\n');
    }
    l.str(');\n');
  }

  private emitFwd(id: number, name: string): void {
    const o = this.out;
    const w = this.view.w;
    o.str(w.kflag(id) ? '/** union ' : '/** struct ');
    this.cName(o, w.nameOff(id));
    o.str(': forward declaration only, layout unknown (BTF id ').int(id).str(') */\nexport type ').str(name).str(' = Uint8Array;\n\n');
  }

  run(opts: DumpTsOptions): void {
    const btf = this.view.btf;
    const src = (opts.source ?? '(BTF)').replace(/[\u0000-\u001f\u007f]/g, '?');
    const o = this.out;
    o.str('// Generated by `bpfkit btf dump --format ts` (bpfkit ').str(VERSION).str(') from ');
    putText(o, src);
    o.str(
      '.\n' +
        '// Do not edit. Needs TypeScript target/lib ES2020 or later (bigint, DataView BigInt64 accessors).\n' +
        '//\n' +
        "// Codecs take the byte order as a parameter (default: the BTF's, BTF_LITTLE_ENDIAN).\n" +
        '// Unions: members are optional; decode fills in all of them; encode writes the present\n' +
        '// ones, the last declared first, so the first declared wins where they overlap.\n' +
        '// Typed arrays and Uint8Arrays returned by decode are copies; char arrays are strings\n' +
        '// (bytes up to the first NUL, one character per byte); _Bool is boolean.\n' +
        '/* eslint-disable */\n' +
        '\n',
    );
    o.str(prelude(btf.littleEndian)).byte(10);
    // Split BTF (a module on vmlinux): its own types and what they use.
    let roots = opts.rootIds;
    if (roots === undefined && btf.base !== undefined) {
      roots = [];
      for (let id = btf.firstId; id < btf.typeCount; id++) roots.push(id);
    }
    const ids = selectIds(this.view, roots);
    const names = this.view.names;
    const kind = this.view.w.kind;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (names.aliasOf[id] !== 0) continue;
      const name = names.byId[id]!;
      switch (kind[id]) {
        case Kind.Struct:
        case Kind.Union:
          this.emitComposite(id, name);
          break;
        case Kind.Enum:
        case Kind.Enum64:
          this.emitEnum(id, name);
          break;
        case Kind.Typedef:
          this.emitTypedef(id, name);
          break;
        case Kind.Fwd:
          this.emitFwd(id, name);
          break;
        default:
          break;
      }
    }
    if (this.late.pos > 0) {
      o.str('// Codecs of typedefs (after the struct codecs they may name).\n');
      putLines(o, this.late);
      o.str('\n');
    }
    endLines(o);
  }
}

/**
 * A self-contained TypeScript module with declarations and codecs for the
 * BTF's types (see the file comment for the mapping and its rules).
 */
export function dumpTs(btf: Btf, opts: DumpTsOptions = {}): string {
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const sink = opts.sink;
  // A whole vmlinux module is about twice its type section.
  const typeBytes = btf.wire?.typeBytes.byteLength ?? 0;
  const out = linesBuffer(sink !== undefined ? STREAM_CHUNK : Math.max(1 << 16, 2 * typeBytes + (1 << 20)), max);
  if (sink !== undefined) out.stream(sink, STREAM_CHUNK);
  try {
    new Generator(btf, out, linesBuffer(1 << 16, max), linesBuffer(1 << 12, Infinity)).run(opts);
  } catch (e) {
    // The buffers allow one byte more (the last newline, dropped at the
    // end): name the caller's limit.
    if (e instanceof BpfkitError && e.code === 'TOO_LARGE') throw new BpfkitError('TOO_LARGE', `output exceeds the limit of ${max} bytes`);
    throw e;
  }
  out.finish();
  if (sink !== undefined) return '';
  const b = out.bytes();
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
}
