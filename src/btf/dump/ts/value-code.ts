/**
 * Codec code for one value of a BTF type at a byte offset: the expression
 * that decodes it and the statements that write it (scalars, char arrays,
 * typed arrays, nested arrays, struct codecs by name). Bitfields and the
 * layout of members are in member-code.ts.
 */
import { Kind } from '../../kinds.js';
import { TA_BY_SUFFIX, TypeView, type Scalar } from './type-view.js';

export class ValueCode {
  constructor(private readonly view: TypeView) {}

  static add(off: string, k: number): string {
    return k === 0 ? off : `${off} + ${k}`;
  }

  /** An expression reading a value of type `id` at byte offset `off`. */
  decodeExpr(id: number, off: string, depth: number): string {
    TypeView.nest(depth, id);
    const rid = this.view.resolve(id);
    const t = this.view.t(rid);
    if (t === undefined) return 'undefined';
    switch (t.kind) {
      case Kind.Struct:
      case Kind.Union: {
        const n = this.view.names.byId.get(rid);
        return n === undefined ? 'undefined as never' : `${n}.decode(v, ${off}, le)`;
      }
      case Kind.Array: {
        const er = this.view.resolve(t.type);
        const n = t.nelems;
        if (this.view.isCharLike(er)) return `$str(v, ${off}, ${n})`;
        const s = this.view.scalar(er);
        if (s !== undefined && s.k === 'ta') return `$r_${s.suffix}(v, ${off}, ${n}, le)`;
        const stride = this.view.sizeOrUndefined(t.type) ?? 0;
        const i = `i${depth}`;
        return `$arr(${n}, (${i}) => ${this.decodeExpr(t.type, `${off} + ${i} * ${stride}`, depth + 1)})`;
      }
      case Kind.Fwd:
        return `$bytes(v, ${off}, 0)`;
      default: {
        const s = this.view.scalar(rid);
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
  writeStmts(id: number, val: string, off: string, depth: number, ind: string, out: string[]): void {
    TypeView.nest(depth, id);
    const rid = this.view.resolve(id);
    const t = this.view.t(rid);
    if (t === undefined) return;
    switch (t.kind) {
      case Kind.Struct:
      case Kind.Union: {
        const n = this.view.names.byId.get(rid);
        if (n !== undefined) out.push(`${ind}${n}.write(${val}, v, ${off}, le);`);
        return;
      }
      case Kind.Array: {
        const er = this.view.resolve(t.type);
        const n = t.nelems;
        if (this.view.isCharLike(er)) {
          out.push(`${ind}$wstr(v, ${off}, ${n}, ${val});`);
          return;
        }
        const s = this.view.scalar(er);
        if (s !== undefined && s.k === 'ta') {
          out.push(`${ind}$w_${s.suffix}(v, ${off}, ${n}, le, ${val});`);
          return;
        }
        const stride = this.view.sizeOrUndefined(t.type) ?? 0;
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
        const s = this.view.scalar(rid);
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
}
