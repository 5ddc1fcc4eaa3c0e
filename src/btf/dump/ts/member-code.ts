/**
 * Codec code for the members of a struct or union: bitfield positions,
 * anonymous members flattened into the parent, optional members of unions,
 * and the decode expression / write statements of each member. Separate
 * from value-code.ts because this is where the C layout rules live.
 *
 * The leaves of one composite are kept in parallel arrays reused from one
 * composite to the next (vmlinux has 30k of them and 200k members).
 */
import type { TextBuffer } from '../../../internal/text-buffer.js';
import { Kind } from '../../kinds.js';
import { propKey } from './names.js';
import { SC_BOOL, SC_BYTES, SC_I128, SC_NONE, SC_U128, TA_I64, TA_U64, type TypeView } from './type-view.js';
import type { ValueCode } from './value-code.js';

/** Whether a scalar code reads a signed value (floats count as signed). */
function signedCode(s: number): boolean {
  return s === SC_I128 || (s < SC_BOOL && (s % 2 === 1 || s >= 8));
}

export class MemberCode {
  /** The leaves found by the last leaves() call: count, then per leaf the
   * name, type, bit
   * offset from the start of the named composite, bitfield width (0 for
   * ordinary members), and whether it is optional. */
  count = 0;
  readonly name: string[] = [];
  /** propKey(name): the name as an interface property. */
  readonly key: string[] = [];
  readonly type: number[] = [];
  readonly bitOff: number[] = [];
  readonly width: number[] = [];
  /** The bit offset bitfield() was given (writes() reuses its result when
   * it meets the member at the same offset, as it does in C-made BTF). */
  private readonly rawOff: number[] = [];
  readonly optional: boolean[] = [];
  /** The members that are leaves (compositeWrites writes only those), with
   * their leaf index. */
  private readonly keep = new Map<number, number>();
  /** Member names taken so far in the composite. */
  private readonly seen = new Set<string>();
  /** Result of bitfield(). */
  private bfOff = 0;
  private bfWidth = 0;

  constructor(
    private readonly view: TypeView,
    private readonly values: ValueCode,
  ) {}

  /** The bitfield (bit offset, width) of a member, or width 0, in bfOff
   * and bfWidth. */
  private bitfield(bitOff: number, declWidth: number, type: number): void {
    const view = this.view;
    const w = view.w;
    const rid = view.resolve(type);
    this.bfOff = bitOff;
    if (declWidth > 0) {
      this.bfWidth = declWidth;
      return;
    }
    if (rid !== 0 && w.kind[rid] === Kind.Int) {
      const bits = w.intBits(rid);
      const bitsOffset = w.intBitsOffset(rid);
      if ((bitsOffset !== 0 || bits !== w.sot(rid) * 8) && bits > 0) {
        this.bfOff = bitOff + bitsOffset;
        this.bfWidth = bits;
        return;
      }
    }
    if (bitOff % 8 !== 0) {
      // A scalar member off a byte boundary: read it as a bitfield of its size.
      const s = view.scalar(rid);
      const size = view.sizeOrNone(rid);
      if (s !== SC_NONE && size >= 0 && size <= 16) {
        this.bfWidth = size * 8;
        return;
      }
    }
    this.bfWidth = 0;
  }

  /**
   * Find the leaves of composite `id`: its members with anonymous
   * struct/union members flattened. An anonymous composite is flattened
   * once: a second use of the same type (only in BTF that no C compiler
   * produced) would add nothing but names already taken, and a type
   * flattened into itself would never end.
   */
  leaves(id: number): void {
    this.count = 0;
    this.anyUnion = false;
    this.seen.clear();
    this.keep.clear();
    this.collect(id, 0, false, 0, undefined);
  }

  /** Whether the last leaves() met a union (the composite or a flattened
   * member): only then do the writes run in another order than the leaves. */
  private anyUnion = false;

  private collect(id: number, bitBase: number, optional: boolean, depth: number, flattened: Set<number> | undefined): void {
    const view = this.view;
    const w = view.w;
    const opt = optional || w.kind[id] === Kind.Union;
    if (w.kind[id] === Kind.Union) this.anyUnion = true;
    // The member records are read inline: this loop runs for every member
    // of every emitted composite, mostly before V8 optimises it.
    const words = w.words;
    const strs = w.strs;
    const q = (w.pos[id] >> 2);
    const vlen = words[q + 1] & 0xffffff;
    const kflag = words[q + 1] >>> 31 !== 0;
    for (let j = 0, m = q + 3; j < vlen; j++, m += 3) {
      const mo = words[m];
      const type = words[m + 1];
      const off = words[m + 2];
      const bitsOffset = kflag ? off & 0xffffff : off;
      if (strs[mo] === 0) {
        const r = view.resolve(type);
        const k = w.kind[r];
        if (r !== 0 && (k === Kind.Struct || k === Kind.Union) && depth < 32) {
          flattened ??= new Set<number>([id]);
          if (!flattened.has(r)) {
            flattened.add(r);
            this.collect(r, bitBase + bitsOffset, opt, depth + 1, flattened);
          }
        }
        continue;
      }
      // C forbids duplicate names (also across flattened members); if the
      // BTF has them anyway, the first one is kept.
      const name = w.name(mo);
      if (this.seen.has(name)) continue;
      this.seen.add(name);
      this.bitfield(bitBase + bitsOffset, kflag ? off >>> 24 : 0, type);
      const i = this.count++;
      this.keep.set(m, i);
      this.name[i] = name;
      this.key[i] = propKey(name);
      this.type[i] = type;
      this.bitOff[i] = this.bfOff;
      this.width[i] = this.bfWidth;
      this.rawOff[i] = bitBase + bitsOffset;
      this.optional[i] = opt;
    }
  }

  /** objKey(name) of leaf i: the name as an object literal key. */
  objKey(i: number): string {
    return this.name[i] === '__proto__' ? '["__proto__"]' : this.key[i];
  }

  /** Append the decode expression of leaf i. */
  leafDecode(b: TextBuffer, i: number): void {
    const bitOff = this.bitOff[i];
    const width = this.width[i];
    if (width === 0) {
      this.values.decodeExpr(b, this.type[i], 'o', Math.floor(bitOff / 8), 0);
      return;
    }
    const s = this.view.scalar(this.view.resolve(this.type[i]));
    if (s === SC_NONE) {
      b.str('undefined as never');
      return;
    }
    if (s === SC_BYTES) {
      b.str('$bytes(v, o, 0)');
      return;
    }
    const signed = signedCode(s);
    if (s === SC_BOOL) b.str('$ub(');
    else if (s === TA_U64 || s === TA_I64 || s === SC_U128 || s === SC_I128) b.str(signed ? '$sbB(' : '$ubB(');
    else if (width > 32) b.str(signed ? 'Number($sbB(' : 'Number($ubB(');
    else b.str(signed ? '$sb(' : '$ub(');
    b.str('v, o, ').int(bitOff).str(', ').int(width).str(', le)');
    if (s === SC_BOOL) b.str(' !== 0');
    else if (width > 32 && s !== TA_U64 && s !== TA_I64 && s !== SC_U128 && s !== SC_I128) b.byte(41);
  }

  /** Append the write statements of a leaf. */
  private leafWrite(b: TextBuffer, type: number, bitOff: number, width: number, val: string, ind: string): void {
    if (width === 0) {
      this.values.writeStmts(b, type, val, 'o', Math.floor(bitOff / 8), 0, ind);
      return;
    }
    const s = this.view.scalar(this.view.resolve(type));
    if (s === SC_NONE || s === SC_BYTES) return;
    const big = s === TA_U64 || s === TA_I64 || s === SC_U128 || s === SC_I128;
    b.str(ind).str(s !== SC_BOOL && (big || width > 32) ? '$wbB(v, o, ' : '$wb(v, o, ');
    b.int(bitOff).str(', ').int(width).str(', le, ');
    if (s === SC_BOOL) {
      this.values.val(b, val);
      b.str(' ? 1 : 0');
    } else if (!big && width > 32) {
      b.str('BigInt(');
      this.values.val(b, val);
      b.byte(41);
    } else this.values.val(b, val);
    b.str(');\n');
  }

  /** Append the write statements of composite `id`'s leaves (found by the
   * last leaves() call); unions last member first. */
  compositeWrites(b: TextBuffer, id: number, ind: string): void {
    if (this.anyUnion) {
      this.writes(b, id, 0, false, ind, 0, undefined);
      return;
    }
    // No union anywhere: writes() would walk the members in the leaves'
    // order, flatten the same members at the same offsets and find every
    // leaf required (not optional); write the leaves as they are.
    for (let i = 0; i < this.count; i++) {
      const key = this.key[i];
      const val = key === this.name[i] ? 'x.' + key : `x[${key}]`;
      this.leafWrite(b, this.type[i], this.bitOff[i], this.width[i], val, ind);
    }
  }

  private writes(b: TextBuffer, id: number, bitBase: number, optional: boolean, ind: string, depth: number, flattened: Set<number> | undefined): void {
    const view = this.view;
    const w = view.w;
    const union = w.kind[id] === Kind.Union;
    const opt = optional || union;
    const words = w.words;
    const strs = w.strs;
    const q = (w.pos[id] >> 2);
    const vlen = words[q + 1] & 0xffffff;
    const kflag = words[q + 1] >>> 31 !== 0;
    for (let n = 0; n < vlen; n++) {
      const j = union ? vlen - 1 - n : n;
      const m = q + 3 + j * 3;
      const mo = words[m];
      const type = words[m + 1];
      const off = words[m + 2];
      const bitsOffset = kflag ? off & 0xffffff : off;
      if (strs[mo] === 0) {
        const r = view.resolve(type);
        const k = w.kind[r];
        // Flattened once, as in leaves() (whose members `keep` holds).
        if (r !== 0 && (k === Kind.Struct || k === Kind.Union) && depth < 32) {
          flattened ??= new Set<number>([id]);
          if (!flattened.has(r)) {
            flattened.add(r);
            this.writes(b, r, bitBase + bitsOffset, opt, ind, depth + 1, flattened);
          }
        }
        continue;
      }
      const leaf = this.keep.get(m);
      if (leaf === undefined) continue;
      let bfOff = this.bitOff[leaf];
      let bfWidth = this.width[leaf];
      if (this.rawOff[leaf] !== bitBase + bitsOffset) {
        this.bitfield(bitBase + bitsOffset, kflag ? off >>> 24 : 0, type);
        bfOff = this.bfOff;
        bfWidth = this.bfWidth;
      }
      // propAccess('x', name), from the key worked out in leaves().
      const key = this.key[leaf];
      const val = key === this.name[leaf] ? 'x.' + key : `x[${key}]`;
      if (opt) {
        b.str(ind).str('if (');
        this.values.val(b, val);
        b.str(' !== undefined) {\n');
        this.leafWrite(b, type, bfOff, bfWidth, val, ind + '  ');
        b.str(ind).str('}\n');
      } else this.leafWrite(b, type, bfOff, bfWidth, val, ind);
    }
  }
}
