import { BpfkitError } from '../../../internal/errors.js';
import { Kind } from '../../kinds.js';
import { ORDERED, ORDERING, ORDER_MASK, REFERENCED, type DumpState } from './state.js';

/**
 * The ordering pass (libbpf's btf_dump_order_type): a depth-first walk that
 * queues named definitions so each comes after everything it needs in
 * full. Returns 1 when id is a strong dependency (must be defined first),
 * 0 when a forward declaration suffices (reached through a pointer).
 *
 * The walk recurses only along strong links and modifier chains; pointers
 * to named types end it, so depth stays small on real BTF.
 */
export function orderType(d: DumpState, id: number, throughPtr: boolean): number {
  d.enter(id);
  d.step(id);
  const r = orderInner(d, id, throughPtr);
  d.depth--;
  return r;
}

function orderInner(d: DumpState, id: number, throughPtr: boolean): number {
  const t = d.t;
  const start = id;
  for (let hops = 0; ; hops++) {
    if (hops >= t.count) throw d.chainLoop(start);
    const state = d.flags[id] & ORDER_MASK;
    if (state === ORDERED) return 1;
    const kind = t.kind[id];
    if (state === ORDERING) {
      // A loop, fine when it goes through a pointer to a named type.
      if ((kind === Kind.Struct || kind === Kind.Union) && throughPtr && t.words[(t.pos[id] >> 2)] !== 0) return 0;
      throw new BpfkitError('BAD_VALUE', `unsatisfiable type cycle, id:[${id}]`, { typeId: id });
    }
    switch (kind) {
      case Kind.Int:
      case Kind.Float:
        d.flags[id] = (d.flags[id] & ~ORDER_MASK) | ORDERED;
        return 0;
      case Kind.Ptr: {
        const r = orderType(d, t.words[(t.pos[id] >> 2) + 2], true);
        d.flags[id] = (d.flags[id] & ~ORDER_MASK) | ORDERED;
        return r;
      }
      case Kind.Array:
        id = t.words[(t.pos[id] >> 2) + 3];
        throughPtr = false;
        continue;
      case Kind.Struct:
      case Kind.Union: {
        const named = t.words[(t.pos[id] >> 2)] !== 0;
        if (throughPtr && named) return 0;
        d.flags[id] = (d.flags[id] & ~ORDER_MASK) | ORDERING;
        const vlen = (t.words[(t.pos[id] >> 2) + 1] & 0xffff);
        for (let j = 0; j < vlen; j++) orderType(d, t.words[(t.pos[id] >> 2) + 4 + j * 3], false);
        if (named) d.enqueue(id);
        d.flags[id] = (d.flags[id] & ~ORDER_MASK) | ORDERED;
        return 1;
      }
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Fwd:
        if (t.words[(t.pos[id] >> 2)] !== 0 || (d.flags[id] & REFERENCED) === 0) d.enqueue(id);
        d.flags[id] = (d.flags[id] & ~ORDER_MASK) | ORDERED;
        return 1;
      case Kind.Typedef: {
        const strong = orderType(d, t.words[(t.pos[id] >> 2) + 2], throughPtr);
        if (throughPtr && strong === 0) return 0;
        d.enqueue(id);
        d.flags[id] = (d.flags[id] & ~ORDER_MASK) | ORDERED;
        return 1;
      }
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
        id = t.words[(t.pos[id] >> 2) + 2];
        continue;
      case Kind.FuncProto: {
        let strong = orderType(d, t.words[(t.pos[id] >> 2) + 2], throughPtr);
        const vlen = (t.words[(t.pos[id] >> 2) + 1] & 0xffff);
        for (let j = 0; j < vlen; j++) if (orderType(d, t.words[(t.pos[id] >> 2) + 4 + j * 2], throughPtr) > 0) strong = 1;
        return strong;
      }
      case Kind.Func:
      case Kind.Var:
      case Kind.Datasec:
      case Kind.DeclTag:
        d.flags[id] = (d.flags[id] & ~ORDER_MASK) | ORDERED;
        return 0;
      default:
        throw new BpfkitError('BAD_KIND', `type of kind ${kind} cannot be dumped as C`, { typeId: id });
    }
  }
}
