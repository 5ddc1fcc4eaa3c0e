/**
 * Codec code for one value of a BTF type at a byte offset: the expression
 * that decodes it and the statements that write it (scalars, char arrays,
 * typed arrays, nested arrays, struct codecs by name). Bitfields and the
 * layout of members are in member-code.ts.
 *
 * Code is appended to a TextBuffer. An offset is an expression and a
 * constant added to it (`o` and 16 print as `o + 16`), so that no string is
 * built for the common case. What a type's code looks like around the
 * offset and the value (a template) is worked out once per type id: most
 * members are of a few hundred types.
 */
import { putAscii, type TextBuffer } from '../../../internal/text-buffer.js';
import { Kind } from '../../kinds.js';
import { MAX_FAST_OFFSET, offsetBytes, putOffsetAt, putText } from './lines.js';
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

/** Template kinds. */
/** decode: pre + offset + post; write: a + offset + b + value + c. */
const T_OFFSET = 1;
/** decode: pre alone (no offset). write: nothing. */
const T_CONST = 2;
/** write: a + value + b + offset + c. */
const T_VALUE_FIRST = 3;
/** An array of anything but chars and typed-array scalars: worked out at
 * each use (its loop variables depend on the nesting depth). */
const T_NESTED = 4;

/** How one type's value is read and written, around the offset and the
 * value (see the T_ kinds). */
interface Template {
  dk: number;
  dPre: string;
  dPost: string;
  wk: number;
  wA: string;
  wB: string;
  wC: string;
}

export class ValueCode {
  /** Per type id, made on first use (most ids never hold a member). */
  private readonly tpl: (Template | undefined)[];

  constructor(private readonly view: TypeView) {
    this.tpl = new Array<Template | undefined>(view.w.count).fill(undefined);
  }

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
    const tp = this.tpl[id] ?? this.template(id);
    const t = tp.dk;
    if (t === T_OFFSET) {
      if (k < MAX_FAST_OFFSET) {
        // One reservation: the template and the offset are ASCII.
        const pre = tp.dPre;
        const post = tp.dPost;
        const buf = b.reserve(pre.length + offsetBytes(off, k) + post.length);
        let p = putAscii(buf, b.pos, pre);
        p = putOffsetAt(buf, p, off, k);
        b.pos = putAscii(buf, p, post);
        return;
      }
      b.str(tp.dPre);
      putOffset(b, off, k);
      b.str(tp.dPost);
    } else if (t === T_CONST) b.str(tp.dPre);
    else {
      const view = this.view;
      const rid = view.resolve(id);
      const elem = view.w.arrayElem(rid);
      const size = view.sizeOrNone(elem);
      const stride = size < 0 ? 0 : size;
      b.str('$arr(').int(view.w.arrayNelems(rid)).str(', (i').int(depth).str(') => ');
      this.decodeExpr(b, elem, `${offsetText(off, k)} + i${depth} * ${stride}`, 0, depth + 1);
      b.byte(41);
    }
  }

  /** Work out how type id is read and written. Both take the same steps
   * (and throw the same errors) before they differ. */
  private template(id: number): Template {
    const tp: Template = { dk: 0, dPre: '', dPost: '', wk: 0, wA: '', wB: '', wC: '' };
    this.decodeTemplate(id, tp);
    this.writeTemplate(id, tp);
    this.tpl[id] = tp;
    return tp;
  }

  private decodeTemplate(id: number, tp: Template): void {
    const view = this.view;
    const w = view.w;
    const rid = view.resolve(id);
    let t = T_OFFSET;
    let pre = '';
    let post = '';
    if (rid === 0) {
      t = T_CONST;
      pre = 'undefined';
    } else {
      switch (w.kind[rid]) {
        case Kind.Struct:
        case Kind.Union: {
          const n = view.names.byId[rid];
          if (n === undefined) {
            t = T_CONST;
            pre = 'undefined as never';
          } else {
            pre = `${n}.decode(v, `;
            post = ', le)';
          }
          break;
        }
        case Kind.Array: {
          const er = view.resolve(w.arrayElem(rid));
          const n = w.arrayNelems(rid);
          const s = view.isCharLike(er) ? SC_NONE : view.scalar(er);
          if (view.isCharLike(er)) {
            pre = '$str(v, ';
            post = `, ${n})`;
          } else if (s >= 0 && s < SC_BOOL) {
            pre = `$r_${TA_SUFFIX[s]}(v, `;
            post = `, ${n}, le)`;
          } else t = T_NESTED;
          break;
        }
        case Kind.Fwd:
          pre = '$bytes(v, ';
          post = ', 0)';
          break;
        default: {
          const s = view.scalar(rid);
          const size = s === SC_NONE ? 0 : view.scalarSize(rid);
          if (s === SC_NONE) {
            t = T_CONST;
            pre = 'undefined as never';
          } else if (s < SC_BOOL) {
            pre = `v.get${TA_ACCESSOR[s]}(`;
            post = TA_SIZE[s] === 1 ? ')' : ', le)';
          } else if (s === SC_BOOL) {
            pre = size === 1 ? 'v.getUint8(' : `v.getUint${size * 8}(`;
            post = size === 1 ? ') !== 0' : ', le) !== 0';
          } else if (s === SC_U128 || s === SC_I128) {
            pre = '$r128(v, ';
            post = s === SC_I128 ? ', le, true)' : ', le, false)';
          } else {
            pre = '$bytes(v, ';
            post = `, ${size})`;
          }
        }
      }
    }
    tp.dk = t;
    tp.dPre = pre;
    tp.dPost = post;
  }

  /** Append statements (lines at indentation `ind`) writing `val` (an
   * expression of the type's TS type) at byte offset `off + k`. */
  writeStmts(b: TextBuffer, id: number, val: string, off: string, k: number, depth: number, ind: string): void {
    TypeView.nest(depth, id);
    const tp = this.tpl[id] ?? this.template(id);
    const t = tp.wk;
    if ((t === T_OFFSET || t === T_VALUE_FIRST) && k < MAX_FAST_OFFSET && this.view.w.ascii) {
      // One reservation: everything is ASCII.
      const wa = tp.wA;
      const wb = tp.wB;
      const wc = tp.wC;
      const buf = b.reserve(ind.length + wa.length + offsetBytes(off, k) + wb.length + val.length + wc.length);
      let p = putAscii(buf, b.pos, ind);
      p = putAscii(buf, p, wa);
      if (t === T_OFFSET) {
        p = putOffsetAt(buf, p, off, k);
        p = putAscii(buf, p, wb);
        p = putAscii(buf, p, val);
      } else {
        p = putAscii(buf, p, val);
        p = putAscii(buf, p, wb);
        p = putOffsetAt(buf, p, off, k);
      }
      b.pos = putAscii(buf, p, wc);
      return;
    }
    if (t === T_OFFSET) {
      b.str(ind).str(tp.wA);
      putOffset(b, off, k);
      b.str(tp.wB);
      this.val(b, val);
      b.str(tp.wC);
    } else if (t === T_VALUE_FIRST) {
      b.str(ind).str(tp.wA);
      this.val(b, val);
      b.str(tp.wB);
      putOffset(b, off, k);
      b.str(tp.wC);
    } else if (t === T_NESTED) this.writeNested(b, id, val, off, k, depth, ind);
  }

  private writeNested(b: TextBuffer, id: number, val: string, off: string, k: number, depth: number, ind: string): void {
    const view = this.view;
    const rid = view.resolve(id);
    const elem = view.w.arrayElem(rid);
    const n = view.w.arrayNelems(rid);
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
  }

  private writeTemplate(id: number, tp: Template): void {
    const view = this.view;
    const w = view.w;
    const rid = view.resolve(id);
    let t = T_OFFSET;
    let a = '';
    let bb = '';
    let c = '';
    if (rid === 0) t = T_CONST;
    else {
      switch (w.kind[rid]) {
        case Kind.Struct:
        case Kind.Union: {
          const n = view.names.byId[rid];
          if (n === undefined) t = T_CONST;
          else {
            t = T_VALUE_FIRST;
            a = `${n}.write(`;
            bb = ', v, ';
            c = ', le);\n';
          }
          break;
        }
        case Kind.Array: {
          const er = view.resolve(w.arrayElem(rid));
          const n = w.arrayNelems(rid);
          if (view.isCharLike(er)) {
            a = '$wstr(v, ';
            bb = `, ${n}, `;
            c = ');\n';
            break;
          }
          const s = view.scalar(er);
          if (s >= 0 && s < SC_BOOL) {
            a = `$w_${TA_SUFFIX[s]}(v, `;
            bb = `, ${n}, le, `;
            c = ');\n';
          } else t = T_NESTED;
          break;
        }
        case Kind.Fwd:
          t = T_CONST;
          break;
        default: {
          const s = view.scalar(rid);
          const size = s === SC_NONE ? 0 : view.scalarSize(rid);
          if (s === SC_NONE) t = T_CONST;
          else if (s === TA_F32 || s === TA_F64) {
            a = s === TA_F32 ? '$wf32(v, ' : '$wf64(v, ';
            bb = ', ';
            c = ', le);\n';
          } else if (s < SC_BOOL) {
            a = `v.set${TA_ACCESSOR[s]}(`;
            bb = ', ';
            c = TA_SIZE[s] === 1 ? ');\n' : ', le);\n';
          } else if (s === SC_BOOL) {
            a = '$wbool(v, ';
            bb = `, ${size}, le, `;
            c = ');\n';
          } else if (s === SC_U128 || s === SC_I128) {
            a = '$w128(v, ';
            bb = ', le, ';
            c = ');\n';
          } else {
            a = '$wbytes(v, ';
            bb = `, ${size}, `;
            c = ');\n';
          }
        }
      }
    }
    tp.wk = t;
    tp.wA = a;
    tp.wB = bb;
    tp.wC = c;
  }
}
