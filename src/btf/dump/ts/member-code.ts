/**
 * Codec code for the members of a struct or union: bitfield positions,
 * anonymous members flattened into the parent, optional members of unions,
 * and the decode expression / write statements of each member. Separate
 * from value-code.ts because this is where the C layout rules live.
 */
import { Kind } from '../../kinds.js';
import type { CompositeType, Member } from '../../types.js';
import { propAccess } from './names.js';
import type { TypeView } from './type-view.js';
import { ValueCode } from './value-code.js';

export interface Leaf {
  member: Member;
  name: string;
  type: number;
  /** Bit offset from the start of the named composite. */
  bitOff: number;
  /** Bitfield width, 0 for ordinary members. */
  width: number;
  optional: boolean;
}

export class MemberCode {
  constructor(
    private readonly view: TypeView,
    private readonly values: ValueCode,
  ) {}

  /** The bitfield (bit offset, width) of a member, or width 0. */
  private bitfield(bitOff: number, declWidth: number, type: number): { bitOff: number; width: number } {
    const rid = this.view.resolve(type);
    const t = this.view.t(rid);
    if (declWidth > 0) return { bitOff, width: declWidth };
    if (t !== undefined && t.kind === Kind.Int && (t.bitsOffset !== 0 || t.bits !== t.size * 8) && t.bits > 0) {
      return { bitOff: bitOff + t.bitsOffset, width: t.bits };
    }
    if (bitOff % 8 !== 0) {
      // A scalar member off a byte boundary: read it as a bitfield of its size.
      const s = this.view.scalar(rid);
      const size = this.view.sizeOrUndefined(rid);
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
  leaves(
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
        const r = this.view.resolve(m.type);
        const c = this.view.t(r);
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

  leafDecode(l: Leaf): string {
    if (l.width === 0) return this.values.decodeExpr(l.type, ValueCode.add('o', Math.floor(l.bitOff / 8)), 0);
    const s = this.view.scalar(this.view.resolve(l.type));
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
      this.values.writeStmts(l.type, val, ValueCode.add('o', Math.floor(l.bitOff / 8)), 0, ind, out);
      return;
    }
    const s = this.view.scalar(this.view.resolve(l.type));
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
  compositeWrites(
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
        const c = this.view.t(this.view.resolve(m.type));
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
}
