import { Kind } from '../../kinds.js';
import { array, constOf, enumOf, func, funcProto, fwd, int, ptr, ref, struct, typedef, type Spec } from './build.js';

/**
 * Test support: random BTF shaped like several compilation units' worth of
 * types concatenated (what a linker hands to dedup). One random "schema"
 * of named structs/unions, enums and typedefs is emitted several times;
 * each copy decides on its own whether a pointed-to struct is a FWD or the
 * definition, sometimes changes a member's type (same name, different
 * struct), sometimes emits a type twice (compilers do), and declares enums
 * forward or in full. Deterministic for a seed.
 */
export function randomBtf(seed: number): Spec[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const nStructs = 2 + Math.floor(rnd() * 6);
  type How = 'int' | 'long' | 'ptr' | 'embed' | 'arr' | 'enum' | 'td' | 'cptr' | 'fnptr' | 'sarr' | 'vol' | 'tag' | 'flt' | 'e64' | 'anon' | 'bits';
  type MemberSchema = { name: string; how: How; target: number };
  const schema: { name: string; union: boolean; members: MemberSchema[] }[] = [];
  for (let i = 0; i < nStructs; i++) {
    const members: MemberSchema[] = [];
    const n = 1 + Math.floor(rnd() * 4);
    for (let m = 0; m < n; m++) {
      // Embedding only structs defined earlier keeps the schema acyclic by
      // value; pointers may go anywhere, self included.
      const how: How = pick<How>(['int', 'long', 'ptr', 'ptr', 'arr', 'enum', 'td', 'cptr', 'fnptr', 'vol', 'tag', 'flt', 'e64', 'anon', 'bits', ...(i > 0 ? (['embed', 'sarr'] as const) : [])]);
      members.push({ name: `m${m}`, how, target: how === 'embed' || how === 'sarr' ? Math.floor(rnd() * i) : Math.floor(rnd() * nStructs) });
    }
    schema.push({ name: rnd() < 0.15 ? '' : `s${i}`, union: rnd() < 0.2, members });
  }
  const copies = 2 + Math.floor(rnd() * 3);
  const out: Spec[] = [];
  const emit = (s: Spec): number => {
    out.push(s);
    return out.length;
  };
  for (let c = 0; c < copies; c++) {
    const memo = new Map<string, number>();
    const once = (key: string, make: () => number): number => {
      // Now and then a duplicate within one unit, as compilers produce.
      const hit = memo.get(key);
      if (hit !== undefined && rnd() > 0.1) return hit;
      const id = make();
      memo.set(key, id);
      return id;
    };
    const intId = (name: string, size: number, signed: boolean): number => once(`int ${name}`, () => emit(int(name, size, signed)));
    const enumFwdStyle = pick([0, 4, -1]); // size-0 decl, size-4 decl, or full only
    const enumId = (): number =>
      once('enum', () => (enumFwdStyle !== -1 && rnd() < 0.5 ? emit(enumOf('e', enumFwdStyle, [])) : emit(enumOf('e', 4, [['A', 0], ['B', c % 2 === 0 || rnd() < 0.8 ? 1 : 2]]))));
    const fwdFor = new Set<number>();
    for (let i = 0; i < nStructs; i++) if (rnd() < 0.3) fwdFor.add(i);
    const perturb = rnd() < 0.3 ? Math.floor(rnd() * nStructs) : -1;
    const structId = (i: number, byValue: boolean): number => {
      const sc = schema[i];
      if (!byValue && fwdFor.has(i) && sc.name !== '') return once(`fwd ${i}`, () => emit(fwd(sc.name, sc.union)));
      const key = `struct ${i}`;
      const hit = memo.get(key);
      if (hit !== undefined && rnd() > 0.1) return hit;
      {
        // Registered before its members so that pointers back to it (self
        // or mutual recursion) find it.
        const id = emit(struct(sc.name, 0, [], sc.union ? Kind.Union : Kind.Struct));
        memo.set(key, id);
        const members: [string, number, number][] = [];
        let off = 0;
        for (const m of sc.members) {
          let how = m.how;
          if (i === perturb && how === 'int') how = 'long';
          let t: number;
          let size = 8;
          switch (how) {
            case 'int':
              t = intId('int', 4, true);
              size = 4;
              break;
            case 'long':
              t = intId('long', 8, true);
              break;
            case 'ptr':
              t = once(`ptr ${m.target}`, () => emit(ptr(structId(m.target, false))));
              break;
            case 'cptr':
              t = once(`cptr ${m.target}`, () => emit(ptr(once(`const ${m.target}`, () => emit(constOf(structId(m.target, false)))))));
              break;
            case 'embed':
              t = structId(m.target, true);
              size = 16;
              break;
            case 'arr':
              t = once('arr', () => emit(array(once('ptrarr', () => emit(ptr(intId('char', 1, true)))), intId('__ARRAY_SIZE_TYPE__', 4, false), 4)));
              size = 32;
              break;
            case 'enum':
              t = enumId();
              size = 4;
              break;
            case 'td':
              t = once('td', () => emit(typedef('u32_t', intId('unsigned int', 4, false))));
              size = 4;
              break;
            case 'fnptr':
              t = once(`fn ${m.target}`, () => emit(ptr(emit(funcProto(intId('int', 4, true), [['x', once(`ptr ${m.target}`, () => emit(ptr(structId(m.target, false))))]])))));
              break;
            case 'sarr':
              // An array of structs by value: compilers may repeat it.
              t = once(`sarr ${m.target}`, () => emit(array(structId(m.target, true), intId('__ARRAY_SIZE_TYPE__', 4, false), 2)));
              size = 32;
              break;
            case 'vol':
              t = once(`vol ${m.target}`, () => emit(ptr(emit(ref(Kind.Volatile, '', once(`restrict`, () => emit(ref(Kind.Restrict, '', intId('long', 8, true)))))))));
              break;
            case 'tag':
              t = once(`tag ${m.target}`, () => emit(ptr(emit(ref(Kind.TypeTag, 'user', structId(m.target, false))))));
              break;
            case 'flt':
              t = once('float', () => emit({ kind: Kind.Float, name: 'double', nameOff: 0, kflag: false, vlen: 0, size: 8 }));
              break;
            case 'e64':
              t = once('e64', () =>
                emit({ kind: Kind.Enum64, name: 'big', nameOff: 0, kflag: true, size: 8, values: [{ name: 'NEG', nameOff: 0, value: -1n }, { name: 'POS', nameOff: 0, value: rnd() < 0.8 ? 5n : 6n }] }),
              );
              break;
            case 'anon':
              // typedef of an anonymous struct, as in `typedef struct {...} x_t`.
              t = once('anon', () => emit(typedef('pair_t', emit(struct('', 8, [['lo', intId('int', 4, true), 0], ['hi', intId('int', 4, true), 32]])))));
              break;
            case 'bits': {
              // A union of bitfields (kind_flag set), by value.
              const u = struct('', 4, [['f', intId('unsigned int', 4, false), 0], ['g', intId('unsigned int', 4, false), 0]], Kind.Union);
              if (u.kind === Kind.Union) {
                u.kflag = true;
                u.members[0].bitfieldSize = 3;
                u.members[1].bitsOffset = 3;
                u.members[1].bitfieldSize = rnd() < 0.9 ? 5 : 6;
              }
              t = once('bits', () => emit(u));
              size = 4;
              break;
            }
          }
          members.push([m.name, t, off * 8]);
          off += size;
        }
        out[id - 1] = struct(sc.name, off, members, sc.union ? Kind.Union : Kind.Struct);
        if (rnd() < 0.2) emit({ kind: Kind.DeclTag, name: 'tagged', nameOff: 0, kflag: false, vlen: 0, type: id, componentIdx: rnd() < 0.5 ? -1 : 0 });
        return id;
      }
    };
    for (let i = 0; i < nStructs; i++) if (rnd() < 0.8) structId(i, rnd() < 0.7);
    if (rnd() < 0.5) emit(func(`f${c}`, emit(funcProto(intId('int', 4, true), [['p', once(`ptr 0`, () => emit(ptr(structId(0, false))))]])), 0));
  }
  return out;
}

function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
