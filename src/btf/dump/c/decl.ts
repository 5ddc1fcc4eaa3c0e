import { BpfkitError } from '../../../internal/errors.js';
import { Kind } from '../../kinds.js';
import { emitEnumDef, emitStructDef, emitStructFwd, emitFwdDef } from './defs.js';
import { identNameIsEmpty, putIdentName, putTypeName } from './names.js';
import type { DumpState } from './state.js';

/**
 * C declarators from BTF type chains (libbpf's btf_dump_emit_type_decl):
 * the chain from a declaration down to its terminal type (int, struct,
 * typedef...) is pushed on a stack, then printed from the terminal type
 * back out, so that modifiers, pointers, arrays and function prototypes
 * nest the way C spells them.
 *
 * The chain being printed is the window [d.frameStart, d.frameStart +
 * d.frameCnt) of the shared stack; nested chains (parameters, inline struct
 * members) push theirs above it, and emitTypeDecl saves and restores the
 * window around them. (Kept in DumpState rather than a frame object per
 * declaration: vmlinux has 200k declarations, and the objects were most of
 * the dump's garbage.)
 */

/** Entries on the shared declarator stack at most (all nested chains). */
const MAX_DECL_STACK = 1 << 20;

/** A declared name: a string-table offset (member and parameter names,
 * printed straight from the table), or minus the id of a typedef whose
 * unique name (which may carry a `___N` suffix) is declared. */
export type FieldName = number;

function isEmpty(d: DumpState, f: FieldName): boolean {
  return f < 0 ? identNameIsEmpty(d, -f) : d.nameIsEmpty(f);
}

function putName(d: DumpState, f: FieldName): void {
  if (f < 0) putIdentName(d, -f);
  else d.name(f);
}

/** Print the declaration of `fname` with type id (fname may be ''). */
export function emitTypeDecl(d: DumpState, id: number, fname: FieldName, lvl: number): void {
  const t = d.t;
  const stack = d.declStack;
  const start = d.declCnt;
  const first = id;
  for (;;) {
    if (d.declCnt - start >= t.count) throw d.chainLoop(first);
    if (d.declCnt >= MAX_DECL_STACK) throw new BpfkitError('TOO_LARGE', 'declarators nested too deep', { typeId: first });
    stack[d.declCnt++] = id;
    if (id === 0) break;
    const k = t.kind[id];
    if (k === Kind.Ptr || k === Kind.Volatile || k === Kind.Const || k === Kind.Restrict || k === Kind.FuncProto || k === Kind.TypeTag) {
      id = t.words[(t.pos[id] >> 2) + 2];
    } else if (k === Kind.Array) {
      id = t.words[(t.pos[id] >> 2) + 3];
    } else {
      break;
    }
  }
  const outerStart = d.frameStart;
  const outerCnt = d.frameCnt;
  d.frameStart = start;
  d.frameCnt = d.declCnt - start;
  d.enter(first);
  emitTypeChain(d, fname, lvl);
  d.depth--;
  d.frameStart = outerStart;
  d.frameCnt = outerCnt;
  d.declCnt = start;
}

function top(d: DumpState): number {
  return d.declStack[d.frameStart + d.frameCnt - 1];
}

/** Print const/volatile/restrict that precede a terminal type. */
function emitMods(d: DumpState): void {
  const t = d.t;
  while (d.frameCnt > 0) {
    const k = t.kind[top(d)];
    if (k === Kind.Volatile) d.out.str('volatile ');
    else if (k === Kind.Const) d.out.str('const ');
    else if (k === Kind.Restrict) d.out.str('restrict ');
    else return;
    d.frameCnt--;
  }
}

/** Drop modifiers (and type tags) the C syntax has no place for. */
function dropMods(d: DumpState): void {
  const t = d.t;
  while (d.frameCnt > 0) {
    const k = t.kind[top(d)];
    if (k !== Kind.Volatile && k !== Kind.Const && k !== Kind.Restrict && k !== Kind.TypeTag) return;
    d.frameCnt--;
  }
}

function emitName(d: DumpState, fname: FieldName, lastWasPtr: boolean): void {
  if (fname > 0) {
    // A member or parameter name: straight from the string table.
    const strs = d.t.strs;
    if (strs[fname] === 0) return;
    if (!lastWasPtr) d.out.byte(32);
    d.out.cstr(strs, fname);
    return;
  }
  if (!lastWasPtr && !isEmpty(d, fname)) d.out.byte(32);
  putName(d, fname);
}

function emitTypeChain(d: DumpState, fname: FieldName, lvl: number): void {
  const t = d.t;
  const out = d.out;
  let lastWasPtr = true;
  while (d.frameCnt > 0) {
    const id = d.declStack[d.frameStart + --d.frameCnt];
    if (id === 0) {
      emitMods(d);
      out.str('void');
      lastWasPtr = false;
      continue;
    }
    const kind = t.kind[id];
    switch (kind) {
      case Kind.Int:
      case Kind.Float:
        emitMods(d);
        d.name(t.words[(t.pos[id] >> 2)]);
        break;
      case Kind.Struct:
      case Kind.Union:
        emitMods(d);
        if (t.words[(t.pos[id] >> 2)] === 0) emitStructDef(d, id, lvl);
        else emitStructFwd(d, id);
        break;
      case Kind.Enum:
      case Kind.Enum64:
        emitMods(d);
        if (t.words[(t.pos[id] >> 2)] === 0) emitEnumDef(d, id, lvl);
        else {
          out.str('enum ');
          putTypeName(d, id);
        }
        break;
      case Kind.Fwd:
        emitMods(d);
        emitFwdDef(d, id);
        break;
      case Kind.Typedef:
        emitMods(d);
        putIdentName(d, id);
        break;
      case Kind.Ptr:
        out.str(lastWasPtr ? '*' : ' *');
        break;
      case Kind.Volatile:
        out.str(' volatile');
        break;
      case Kind.Const:
        out.str(' const');
        break;
      case Kind.Restrict:
        out.str(' restrict');
        break;
      case Kind.TypeTag:
        emitMods(d);
        out.str(' __attribute__((btf_type_tag("');
        d.name(t.words[(t.pos[id] >> 2)]);
        out.str('")))');
        break;
      case Kind.Array: {
        dropMods(d);
        if (d.frameCnt === 0) {
          emitName(d, fname, lastWasPtr);
          out.byte(91).int(t.words[(t.pos[id] >> 2) + 5]).byte(93);
          return;
        }
        const multidim = t.kind[top(d)] === Kind.Array;
        if (!lastWasPtr && !isEmpty(d, fname)) out.byte(32);
        if (!multidim) out.byte(40);
        d.enter(id);
        emitTypeChain(d, fname, lvl);
        d.depth--;
        if (!multidim) out.byte(41);
        out.byte(91).int(t.words[(t.pos[id] >> 2) + 5]).byte(93);
        return;
      }
      case Kind.FuncProto: {
        dropMods(d);
        if (d.frameCnt > 0) {
          out.str(' (');
          d.enter(id);
          emitTypeChain(d, fname, lvl);
          d.depth--;
          out.byte(41);
        } else {
          emitName(d, fname, lastWasPtr);
        }
        out.byte(40);
        const vlen = (t.words[(t.pos[id] >> 2) + 1] & 0xffff);
        if (vlen === 0 || (vlen === 1 && t.words[(t.pos[id] >> 2) + 4] === 0)) {
          out.str('void)');
          return;
        }
        for (let i = 0; i < vlen; i++) {
          if (i > 0) out.str(', ');
          const pt = t.words[(t.pos[id] >> 2) + 4 + i * 2];
          if (i === vlen - 1 && pt === 0) {
            out.str('...');
            break;
          }
          emitTypeDecl(d, pt, t.words[(t.pos[id] >> 2) + 3 + i * 2], lvl);
        }
        out.byte(41);
        return;
      }
      default:
        // libbpf warns and stops the declarator here.
        return;
    }
    lastWasPtr = kind === Kind.Ptr;
  }
  emitName(d, fname, lastWasPtr);
}
