/**
 * Codec code for one value of a BTF type at a byte offset: the expression
 * that decodes it and the statements that write it (scalars, char arrays,
 * typed arrays, nested arrays, struct codecs by name). Bitfields and the
 * layout of members are in member-code.ts.
 *
 * Code is appended to a TextBuffer as it is worked out. An offset is an
 * expression and a constant added to it (`o` and 16 print as `o + 16`), so
 * that no string is built for the common case.
 */
import type { TextBuffer } from '../../../internal/text-buffer.js';
import { Kind } from '../../kinds.js';
import { putText } from './lines.js';
import { TYPED_ARRAYS } from './prelude.js';
import { SC_BOOL, SC_BYTES, SC_I128, SC_NONE, SC_U128, TA_ACCESSOR, TA_F32, TA_F64, TA_SUFFIX, TypeView } from './type-view.js';

/** Byte size of each typed-array scalar code. */
const TA_SIZE: readonly number[] = TYPED_ARRAYS.map((t) => t[3]);

/** Append an offset: expr, or `expr + k`. */
export function putOffset(b: TextBuffer, expr: string, k: number): void {
  b.str(expr);
  if (k !== 0) b.str(' + ').int(k);
}

function offsetText(expr: string, k: number): string {
  return k === 0 ? expr : `${expr} + ${k}`;
}

export class ValueCode {
  constructor(private readonly view: TypeView) {}

  /** Append a value expression (it holds a member name, which may be
   * beyond ASCII when the BTF's strings are). */
  val(b: TextBuffer, val: string): void {
    if (this.view.w.ascii) b.str(val);
    else putText(b, val);
  }

  /** Append an expression reading a value of type `id` at byte offset
   * `off + k`. */
  decodeExpr(b: TextBuffer, id: number, off: string, k: number, depth: number): void {
    TypeView.nest(depth, id);
    const view = this.view;
    const w = view.w;
    const rid = view.resolve(id);
    if (rid === 0) {
      b.str('undefined');
      return;
    }
    switch (w.kind[rid]) {
      case Kind.Struct:
      case Kind.Union: {
        const n = view.names.byId[rid];
        if (n === undefined) b.str('undefined as never');
        else {
          b.str(n).str('.decode(v, ');
          putOffset(b, off, k);
          b.str(', le)');
        }
        return;
      }
      case Kind.Array: {
        const elem = w.arrayElem(rid);
        const er = view.resolve(elem);
        const n = w.arrayNelems(rid);
        if (view.isCharLike(er)) {
          b.str('$str(v, ');
          putOffset(b, off, k);
          b.str(', ').int(n).byte(41);
          return;
        }
        const s = view.scalar(er);
        if (s >= 0 && s < SC_BOOL) {
          b.str('$r_').str(TA_SUFFIX[s]).str('(v, ');
          putOffset(b, off, k);
          b.str(', ').int(n).str(', le)');
          return;
        }
        const size = view.sizeOrNone(elem);
        const stride = size < 0 ? 0 : size;
        b.str('$arr(').int(n).str(', (i').int(depth).str(') => ');
        this.decodeExpr(b, elem, `${offsetText(off, k)} + i${depth} * ${stride}`, 0, depth + 1);
        b.byte(41);
        return;
      }
      case Kind.Fwd:
        b.str('$bytes(v, ');
        putOffset(b, off, k);
        b.str(', 0)');
        return;
      default: {
        const s = view.scalar(rid);
        if (s === SC_NONE) b.str('undefined as never');
        else this.scalarRead(b, s, view.scalarSize(rid), off, k);
      }
    }
  }

  private scalarRead(b: TextBuffer, s: number, size: number, off: string, k: number): void {
    if (s < SC_BOOL) {
      b.str('v.get').str(TA_ACCESSOR[s]).byte(40);
      putOffset(b, off, k);
      b.str(TA_SIZE[s] === 1 ? ')' : ', le)');
      return;
    }
    switch (s) {
      case SC_BOOL:
        if (size === 1) {
          b.str('v.getUint8(');
          putOffset(b, off, k);
          b.str(') !== 0');
        } else {
          b.str('v.getUint').int(size * 8).byte(40);
          putOffset(b, off, k);
          b.str(', le) !== 0');
        }
        return;
      case SC_U128:
      case SC_I128:
        b.str('$r128(v, ');
        putOffset(b, off, k);
        b.str(s === SC_I128 ? ', le, true)' : ', le, false)');
        return;
      case SC_BYTES:
        b.str('$bytes(v, ');
        putOffset(b, off, k);
        b.str(', ').int(size).byte(41);
        return;
    }
  }

  /** Append statements (lines at indentation `ind`) writing `val` (an
   * expression of the type's TS type) at byte offset `off + k`. */
  writeStmts(b: TextBuffer, id: number, val: string, off: string, k: number, depth: number, ind: string): void {
    TypeView.nest(depth, id);
    const view = this.view;
    const w = view.w;
    const rid = view.resolve(id);
    if (rid === 0) return;
    switch (w.kind[rid]) {
      case Kind.Struct:
      case Kind.Union: {
        const n = view.names.byId[rid];
        if (n !== undefined) {
          b.str(ind).str(n).str('.write(');
          this.val(b, val);
          b.str(', v, ');
          putOffset(b, off, k);
          b.str(', le);\n');
        }
        return;
      }
      case Kind.Array: {
        const elem = w.arrayElem(rid);
        const er = view.resolve(elem);
        const n = w.arrayNelems(rid);
        if (view.isCharLike(er)) {
          b.str(ind).str('$wstr(v, ');
          putOffset(b, off, k);
          b.str(', ').int(n).str(', ');
          this.val(b, val);
          b.str(');\n');
          return;
        }
        const s = view.scalar(er);
        if (s >= 0 && s < SC_BOOL) {
          b.str(ind).str('$w_').str(TA_SUFFIX[s]).str('(v, ');
          putOffset(b, off, k);
          b.str(', ').int(n).str(', le, ');
          this.val(b, val);
          b.str(');\n');
          return;
        }
        const size = view.sizeOrNone(elem);
        const stride = size < 0 ? 0 : size;
        const a = `a${depth}`;
        const i = `i${depth}`;
        const o = `o${depth}`;
        b.str(ind).str('{\n');
        b.str(ind).str('  const ').str(a).str(' = ');
        this.val(b, val);
        b.str(';\n');
        b.str(ind).str('  for (let ').str(i).str(' = 0; ').str(i).str(' < ').int(n).str('; ').str(i).str('++) {\n');
        b.str(ind).str('    const ').str(o).str(' = ');
        putOffset(b, off, k);
        b.str(' + ').str(i).str(' * ').int(stride).str(';\n');
        b.str(ind).str('    if (').str(i).str(' >= ').str(a).str('.length) $zero(v, ').str(o).str(', ').int(stride).str(');\n');
        b.str(ind).str('    else {\n');
        this.writeStmts(b, elem, `${a}[${i}]`, o, 0, depth + 1, ind + '      ');
        b.str(ind).str('    }\n');
        b.str(ind).str('  }\n');
        b.str(ind).str('}\n');
        return;
      }
      case Kind.Fwd:
        return;
      default: {
        const s = view.scalar(rid);
        if (s !== SC_NONE) {
          b.str(ind);
          this.scalarWrite(b, s, view.scalarSize(rid), val, off, k);
          b.str(';\n');
        }
      }
    }
  }

  private scalarWrite(b: TextBuffer, s: number, size: number, val: string, off: string, k: number): void {
    if (s < SC_BOOL) {
      if (s === TA_F32 || s === TA_F64) {
        b.str(s === TA_F32 ? '$wf32(v, ' : '$wf64(v, ');
        putOffset(b, off, k);
        b.str(', ');
        this.val(b, val);
        b.str(', le)');
        return;
      }
      b.str('v.set').str(TA_ACCESSOR[s]).byte(40);
      putOffset(b, off, k);
      b.str(', ');
      this.val(b, val);
      b.str(TA_SIZE[s] === 1 ? ')' : ', le)');
      return;
    }
    switch (s) {
      case SC_BOOL:
        b.str('$wbool(v, ');
        putOffset(b, off, k);
        b.str(', ').int(size).str(', le, ');
        this.val(b, val);
        b.byte(41);
        return;
      case SC_U128:
      case SC_I128:
        b.str('$w128(v, ');
        putOffset(b, off, k);
        b.str(', le, ');
        this.val(b, val);
        b.byte(41);
        return;
      case SC_BYTES:
        b.str('$wbytes(v, ');
        putOffset(b, off, k);
        b.str(', ').int(size).str(', ');
        this.val(b, val);
        b.byte(41);
        return;
    }
  }
}
