import { Kind } from '../../kinds.js';
import { emitEnumDef, emitFwdDef, emitStructDef, emitStructFwd, emitTypedefDef } from './defs.js';
import { resolveTypeName, typeName } from './names.js';
import { EMITTED, EMITTING, EMIT_MASK, FWD_EMITTED, NOT_EMITTED, type DumpState } from './state.js';

/**
 * The emission pass (libbpf's btf_dump_emit_type): print a queued type's
 * definition after making sure every type its definition names has been
 * defined or forward-declared. `contId` is the struct or typedef being
 * defined (0 at top level); referring to it needs no forward declaration.
 */

/** libbpf leaves out typedefs of compiler built-ins. */
function isBlacklisted(d: DumpState, id: number): boolean {
  const off = d.t.words[(d.t.pos[id] >> 2)];
  return off !== 0 && d.t.strEquals(off, '__builtin_va_list');
}

/** GCC's internal Arm SIMD types, which libbpf aliases to standard ones. */
const MISSING_BASE_TYPES: Record<string, string> = {
  __Poly8_t: 'unsigned char',
  __Poly16_t: 'unsigned short',
  __Poly64_t: 'unsigned long long',
  __Poly128_t: 'unsigned __int128',
};

/** libbpf resolves every emitted INT's name in the tag namespace (so an
 * INT can push a same-named struct to `___2`) and aliases __PolyN_t. */
function emitMissingAlias(d: DumpState, id: number): void {
  resolveTypeName(d, id);
  const t = d.t;
  const off = t.words[(t.pos[id] >> 2)];
  // Only __Poly* names can match; most INTs are not worth a string.
  if (off === 0 || t.strs[off] !== 95 || t.strs[off + 2] !== 80) return;
  const name = typeName(d, id);
  const alias = MISSING_BASE_TYPES[name];
  if (alias !== undefined && Object.hasOwn(MISSING_BASE_TYPES, name)) d.out.str('typedef ').str(alias).byte(32).str(name).str(';\n\n');
}

export function emitType(d: DumpState, id: number, contId: number): void {
  d.enter(id);
  d.step(id);
  emitInner(d, id, contId);
  d.depth--;
}

function emitInner(d: DumpState, id: number, contId: number): void {
  const t = d.t;
  const out = d.out;
  const start = id;
  for (let hops = 0; ; hops++) {
    if (hops >= t.count) throw d.chainLoop(start);
    const state = d.flags[id] & EMIT_MASK;
    if (state === EMITTED) return;
    const kind = t.kind[id];
    if (state === EMITTING) {
      if ((d.flags[id] & FWD_EMITTED) !== 0) return;
      if (kind === Kind.Struct || kind === Kind.Union) {
        if (id === contId) return;
        // An anonymous struct/union loop: libbpf warns and goes on.
        if (t.words[(t.pos[id] >> 2)] === 0) return;
        emitStructFwd(d, id);
        out.str(';\n\n');
        d.flags[id] |= FWD_EMITTED;
      } else if (kind === Kind.Typedef) {
        if (!isBlacklisted(d, id)) {
          emitTypedefDef(d, id, 0);
          out.str(';\n\n');
        }
        d.flags[id] |= FWD_EMITTED;
      }
      return;
    }
    switch (kind) {
      case Kind.Int:
        emitMissingAlias(d, id);
        d.flags[id] = (d.flags[id] & ~EMIT_MASK) | EMITTED;
        return;
      case Kind.Enum:
      case Kind.Enum64:
        if (contId === 0) {
          emitEnumDef(d, id, 0);
          out.str(';\n\n');
        }
        d.flags[id] = (d.flags[id] & ~EMIT_MASK) | EMITTED;
        return;
      case Kind.Ptr:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
        id = t.words[(t.pos[id] >> 2) + 2];
        continue;
      case Kind.Array:
        id = t.words[(t.pos[id] >> 2) + 3];
        continue;
      case Kind.Fwd:
        emitFwdDef(d, id);
        out.str(';\n\n');
        d.flags[id] = (d.flags[id] & ~EMIT_MASK) | EMITTED;
        return;
      case Kind.Typedef:
        d.flags[id] = (d.flags[id] & ~EMIT_MASK) | EMITTING;
        emitType(d, t.words[(t.pos[id] >> 2) + 2], id);
        if ((d.flags[id] & FWD_EMITTED) === 0 && !isBlacklisted(d, id)) {
          emitTypedefDef(d, id, 0);
          out.str(';\n\n');
        }
        d.flags[id] = (d.flags[id] & ~EMIT_MASK) | EMITTED;
        return;
      case Kind.Struct:
      case Kind.Union: {
        d.flags[id] = (d.flags[id] & ~EMIT_MASK) | EMITTING;
        const topLevel = contId === 0;
        const named = t.words[(t.pos[id] >> 2)] !== 0;
        if (topLevel || !named) {
          const inner = named ? id : contId;
          const vlen = (t.words[(t.pos[id] >> 2) + 1] & 0xffff);
          for (let j = 0; j < vlen; j++) emitType(d, t.words[(t.pos[id] >> 2) + 4 + j * 3], inner);
        } else if ((d.flags[id] & FWD_EMITTED) === 0 && id !== contId) {
          emitStructFwd(d, id);
          out.str(';\n\n');
          d.flags[id] |= FWD_EMITTED;
        }
        if (topLevel) {
          emitStructDef(d, id, 0);
          out.str(';\n\n');
          d.flags[id] = (d.flags[id] & ~EMIT_MASK) | EMITTED;
        } else {
          d.flags[id] = (d.flags[id] & ~EMIT_MASK) | NOT_EMITTED;
        }
        return;
      }
      case Kind.FuncProto: {
        emitType(d, t.words[(t.pos[id] >> 2) + 2], contId);
        const vlen = (t.words[(t.pos[id] >> 2) + 1] & 0xffff);
        for (let j = 0; j < vlen; j++) emitType(d, t.words[(t.pos[id] >> 2) + 4 + j * 2], contId);
        return;
      }
      default:
        return;
    }
  }
}
