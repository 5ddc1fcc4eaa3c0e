/**
 * Hand-built BTF with the expected result worked out from libbpf 1.1's
 * rules (see the comments), not from this code's output.
 */
import { describe, expect, it } from 'vitest';
import { BpfkitError } from '../../internal/errors.js';
import { StringTable } from '../../internal/strings.js';
import { Btf } from '../btf.js';
import type { BtfExt } from '../ext/types.js';
import { Kind } from '../kinds.js';
import { dedupBtf } from './index.js';
import { array, btfOf, constOf, enumOf, func, funcProto, fwd, int, ptr, specsOf, splitOf, struct, typedef, variable, type Spec } from './testing/build.js';

function dedup(specs: Spec[]): { types: Spec[]; map: number[] } {
  const r = dedupBtf(btfOf(specs));
  return { types: specsOf(r.btf), map: [...r.typeMap] };
}

describe('dedup of hand-built BTF', () => {
  it('resolves a FWD to the struct it is paired with in a struct walk', () => {
    // holder#7 is compared with holder#5; their members lead to FWD foo (4)
    // and struct foo (2), which are equivalent, so the FWD maps to the
    // struct, holder#7 maps to holder#5, and ptr#6 equals ptr#3 once #3's
    // target resolves to foo.
    const r = dedup([
      int('int'), // 1
      struct('foo', 4, [['a', 1, 0]]), // 2
      ptr(4), // 3
      fwd('foo'), // 4
      struct('holder', 8, [['p', 3, 0]]), // 5
      ptr(2), // 6
      struct('holder', 8, [['p', 6, 0]]), // 7
    ]);
    expect(r.types).toEqual([int('int'), struct('foo', 4, [['a', 1, 0]]), ptr(2), struct('holder', 8, [['p', 3, 0]])]);
    expect(r.map).toEqual([0, 1, 2, 3, 2, 4, 3, 4]);
  });

  it('leaves a FWD alone when nothing pairs it with a struct', () => {
    // libbpf 1.1 has no separate forward-resolution pass: a FWD only
    // reachable through a pointer outside any struct stays.
    const specs = [int('int'), struct('foo', 4, [['a', 1, 0]]), fwd('foo'), ptr(3), variable('p', 4)];
    expect(dedup(specs).types).toEqual(specs);
  });

  it('a FWD union does not pair with a struct', () => {
    const specs = [
      int('int'),
      struct('foo', 4, [['a', 1, 0]]),
      ptr(2),
      struct('holder', 8, [['p', 3, 0]]),
      fwd('foo', true),
      ptr(5),
      struct('holder', 8, [['p', 6, 0]]),
    ];
    expect(dedup(specs).types).toEqual(specs);
  });

  it('keeps two structs with one name but different members apart', () => {
    const specs = [
      int('int'),
      int('unsigned int', 4, false),
      struct('s', 4, [['a', 1, 0]]),
      struct('s', 4, [['a', 2, 0]]), // same shape, member type differs
      struct('s', 4, [['b', 1, 0]]), // member name differs
      struct('s', 8, [['a', 1, 0]]), // size differs
    ];
    expect(dedup(specs).types).toEqual(specs);
  });

  it('merges a self-referencing list from two inputs', () => {
    const r = dedup([
      int('int'),
      struct('node', 16, [['next', 3, 0], ['val', 1, 64]]),
      ptr(2),
      int('int'),
      struct('node', 16, [['next', 6, 0], ['val', 4, 64]]),
      ptr(5),
    ]);
    expect(r.types).toEqual([int('int'), struct('node', 16, [['next', 3, 0], ['val', 1, 64]]), ptr(2)]);
    expect(r.map).toEqual([0, 1, 2, 3, 1, 2, 3]);
  });

  it('merges mutually recursive structs from two inputs', () => {
    const one = (b: number): Spec[] => [
      struct('ping', 8, [['pong', b + 2, 0]]), // b+1
      ptr(b + 3), // b+2
      struct('pong', 8, [['ping', b + 4, 0]]), // b+3
      ptr(b + 1), // b+4
    ];
    const r = dedup([...one(0), ...one(4)]);
    expect(r.types).toEqual(one(0));
    expect(r.map).toEqual([0, 1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it('merges the anonymous struct behind two typedefs, keeps both typedefs', () => {
    const anon = struct('', 4, [['x', 1, 0]]);
    const r = dedup([int('int'), anon, typedef('a_t', 2), anon, typedef('b_t', 4), anon, typedef('a_t', 6)]);
    expect(r.types).toEqual([int('int'), anon, typedef('a_t', 2), typedef('b_t', 2)]);
    expect(r.map).toEqual([0, 1, 2, 3, 2, 4, 2, 3]);
  });

  it('merges arrays of pointers', () => {
    const r = dedup([int('int'), ptr(1), array(2, 1, 4), variable('a', 3), ptr(1), array(5, 1, 4), variable('b', 6), array(5, 1, 8)]);
    expect(r.types).toEqual([int('int'), ptr(1), array(2, 1, 4), variable('a', 3), variable('b', 3), array(2, 1, 8)]);
  });

  it('keeps a size-0 enum forward declaration (as clang writes it) apart from the definition', () => {
    // libbpf 1.1 compares kind, kind_flag and size with a forward
    // declaration; clang gives `enum e;` size 0. bpftool 7.1 agrees (see
    // the pair test objects).
    const specs = [enumOf('e', 0, []), enumOf('e', 4, [['A', 0], ['B', 1]])];
    expect(dedup(specs).types).toEqual(specs);
  });

  it('merges an enum forward declaration of the right size into the definition, either order', () => {
    const full = enumOf('e', 4, [['A', 0], ['B', 1]]);
    const decl = enumOf('e', 4, []);
    // Declaration first: the full enum takes over the canonical declaration.
    const a = dedup([decl, ptr(1), full, ptr(3)]);
    expect(a.types).toEqual([ptr(2), full]);
    expect(a.map).toEqual([0, 2, 1, 2, 1]);
    // Definition first: the declaration maps to it.
    const b = dedup([full, decl, ptr(2), ptr(1)]);
    expect(b.types).toEqual([full, ptr(1)]);
  });

  it('never merges VARs; FUNCs only with the same linkage', () => {
    const proto = funcProto(1, [['x', 1]]);
    const r = dedup([int('int'), proto, func('f', 2, 1), variable('v', 1), proto, func('f', 5, 1), func('f', 5, 0), variable('v', 1)]);
    expect(r.types).toEqual([int('int'), proto, func('f', 2, 1), variable('v', 1), func('f', 2, 0), variable('v', 1)]);
  });

  it('accepts a unit\'s duplicate pointers to one type inside a struct walk', () => {
    // Copy 2 has two PTRs to the same s0 where copy 1 shares one. The walk
    // pairs canonical ptr#3 with ptr#6 first; meeting ptr#7 against it is
    // accepted because both point at the very same id (libbpf's identical
    // pointer rule, in Debian's 6.1-based libbpf 1.1 as a stable backport).
    const r = dedup([
      int('int'),
      struct('s0', 4, [['a', 1, 0]]),
      ptr(2),
      struct('s1', 16, [['p', 3, 0], ['q', 3, 64]]),
      struct('s0', 4, [['a', 1, 0]]),
      ptr(5),
      ptr(5),
      struct('s1', 16, [['p', 6, 0], ['q', 7, 64]]),
    ]);
    expect(r.types).toEqual([int('int'), struct('s0', 4, [['a', 1, 0]]), ptr(2), struct('s1', 16, [['p', 3, 0], ['q', 3, 64]])]);
  });

  it('but not duplicate pointers to duplicate CONSTs (only the same target id counts)', () => {
    const s1 = struct('s1', 16, [['p', 4, 0], ['q', 4, 64]]);
    const r = dedup([
      int('int'),
      struct('s0', 4, [['a', 1, 0]]),
      constOf(2),
      ptr(3),
      s1,
      struct('s0', 4, [['a', 1, 0]]),
      constOf(6),
      ptr(7),
      constOf(6),
      ptr(9),
      struct('s1', 16, [['p', 8, 0], ['q', 10, 64]]),
    ]);
    // s1#11 stays a second s1; its pointers then dedup onto ptr#4.
    expect(r.types).toEqual([int('int'), struct('s0', 4, [['a', 1, 0]]), constOf(2), ptr(3), s1, s1]);
  });

  it('accepts duplicate structs that nest identical duplicates by value', () => {
    // Copy 2 embeds x#6 and x#8, identical down to identical y#5 / y#7.
    const r = dedup([
      int('int'),
      struct('y', 4, [['a', 1, 0]]),
      struct('x', 4, [['y', 2, 0]]),
      struct('s1', 8, [['p', 3, 0], ['q', 3, 32]]),
      struct('y', 4, [['a', 1, 0]]),
      struct('x', 4, [['y', 5, 0]]),
      struct('y', 4, [['a', 1, 0]]),
      struct('x', 4, [['y', 7, 0]]),
      struct('s1', 8, [['p', 6, 0], ['q', 8, 32]]),
    ]);
    expect(r.types).toHaveLength(4);
    expect(r.map.slice(5)).toEqual([2, 3, 2, 3, 4]);
  });

  it('dedups modifiers only when their targets are equal', () => {
    const r = dedup([int('int'), constOf(1), ptr(2), int('int'), constOf(4), ptr(5), int('long', 8), constOf(7)]);
    expect(r.types).toEqual([int('int'), constOf(1), ptr(2), int('long', 8), constOf(4)]);
  });
});

describe('dedup of hostile BTF', () => {
  const fails = (specs: Spec[], typeId?: number): void => {
    let err: unknown;
    try {
      dedupBtf(btfOf(specs), { file: 'hostile' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BpfkitError);
    if (typeId !== undefined) expect((err as BpfkitError).typeId).toBe(typeId);
    expect((err as BpfkitError).file).toBe('hostile');
  };

  it('a pointer cycle is an error', () => fails([ptr(2), ptr(1)], 1));
  it('a typedef cycle inside a struct is an error, not a hang', () =>
    fails([int('int'), struct('s', 4, [['m', 3, 0]]), typedef('t', 4), typedef('u', 3), struct('s', 4, [['m', 6, 0]]), typedef('t', 7), typedef('u', 6)]));
  it('a dangling id is an error naming the type', () => fails([int('int'), ptr(1), ptr(99)], 3));
  it('a dangling member id is an error', () => fails([struct('s', 4, [['m', 7, 0]])], 1));
  it('a VAR as a member type fails the struct walk (libbpf: -EINVAL)', () =>
    fails([int('int'), variable('v', 1), struct('s', 4, [['m', 2, 0]]), variable('v', 1), struct('s', 4, [['m', 4, 0]])], 4));

  it('many same-shape structs with long different chains hit the walk bound instead of running on', () => {
    // n structs 'h' { p } each pointing down its own chain of k PTRs to a
    // distinct int: every h is compared with every earlier one, each walk
    // going k steps deep before the ints differ: ~n*n*k/2 steps.
    const n = 60;
    const k = 200;
    const specs: Spec[] = [];
    for (let i = 0; i < n; i++) {
      specs.push(int(`i${i}`));
      for (let j = 0; j < k; j++) specs.push(ptr(specs.length));
      specs.push(struct('h', 8, [['p', specs.length, 0]]));
    }
    let err: unknown;
    try {
      dedupBtf(btfOf(specs), { maxWalkSteps: 10_000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BpfkitError);
    expect((err as BpfkitError).code).toBe('TOO_LARGE');
    // With the default bound the same input completes: nothing merges.
    expect(dedupBtf(btfOf(specs)).btf.typeCount).toBe(specs.length + 1);
  });

  it('many compatible enum declarations hit the bound instead of running on', () => {
    // Each full enum scans every earlier canonical declaration of its name.
    const specs: Spec[] = [];
    for (let i = 0; i < 300; i++) specs.push(enumOf('e', 4, []), enumOf('e', 4, [['A', i]]));
    let err: unknown;
    try {
      dedupBtf(btfOf(specs), { maxWalkSteps: 5_000 });
    } catch (e) {
      err = e;
    }
    expect((err as BpfkitError).code).toBe('TOO_LARGE');
  });

  it('a 30000-deep pointer chain neither overflows the stack nor merges', () => {
    const n = 30_000;
    const specs: Spec[] = [int('int')];
    for (let i = 1; i <= n; i++) specs.push(ptr(i));
    const r = dedupBtf(btfOf([...specs, ...specs.map((s) => ('type' in s && s.type !== 0 ? { ...s, type: s.type + n + 1 } : s))]));
    expect(r.btf.typeCount).toBe(n + 2);
  });

  it('a 20000-deep struct chain, doubled, folds back without recursion', () => {
    const n = 20_000;
    const one = (b: number): Spec[] => {
      const out: Spec[] = [];
      // struct s_i { struct s_{i+1} *next; }, the last one pointing back
      // to s_0: a ring the walk has to go all the way round.
      for (let i = 0; i < n; i++) out.push(struct(`s${i}`, 8, [['next', b + 2 * i + 2, 0]]), ptr(i + 1 < n ? b + 2 * i + 3 : b + 1));
      return out;
    };
    const r = dedupBtf(btfOf([...one(0), ...one(2 * n)]));
    expect(r.btf.typeCount).toBe(2 * n + 1);
    expect(r.btf.type(1)!.kind).toBe(Kind.Struct);
    for (let id = 1; id <= 2 * n; id++) if (r.typeMap[id + 2 * n] !== id) expect.fail(`copy of ${id} maps to ${r.typeMap[id + 2 * n]}`);
  });
});

describe('dedup of hand-built split BTF', () => {
  it('maps an own copy of a base struct to the base type', () => {
    // int#3 equals base int#1; foo#4 is equivalent to base foo#2 and maps
    // to it; the pointer has no base equal and stays, pointing at base foo.
    const base = btfOf([int('int'), struct('foo', 4, [['a', 1, 0]])]);
    const r = dedupBtf(splitOf(base, [int('int'), struct('foo', 4, [['a', 3, 0]]), ptr(4)]));
    expect(specsOf(r.btf)).toEqual([ptr(2)]);
    expect([...r.typeMap]).toEqual([0, 1, 2, 1, 2, 3]);
    expect(r.btf.base).toBe(base);
  });

  it('resolves an own FWD to a base struct through the struct walk', () => {
    // holder#7 is equivalent to base holder#4 with own FWD foo#5 paired
    // with base struct foo#2: everything own maps into the base.
    const base = btfOf([int('int'), struct('foo', 4, [['a', 1, 0]]), ptr(2), struct('holder', 8, [['p', 3, 0]])]);
    const r = dedupBtf(splitOf(base, [fwd('foo'), ptr(5), struct('holder', 8, [['p', 6, 0]])]));
    expect(specsOf(r.btf)).toEqual([]);
    expect([...r.typeMap]).toEqual([0, 1, 2, 3, 4, 2, 3, 4]);
  });

  it('a base FWD paired with an own struct: base types stay, own types are kept', () => {
    // The walk would need base FWD foo#2 to become own struct foo#5
    // (libbpf's hypot_adjust_canon): the base FWD is pointed at the own
    // struct, but the graphs do not count as equivalent, so own holder#7
    // stays. References to the base FWD now resolve to own foo.
    const base = btfOf([int('int'), fwd('foo'), ptr(2), struct('holder', 8, [['p', 3, 0]])]);
    const own = [struct('foo', 4, [['a', 1, 0]]), ptr(5), struct('holder', 8, [['p', 6, 0]])];
    const r = dedupBtf(splitOf(base, own));
    expect(specsOf(r.btf)).toEqual(own);
    expect([...r.typeMap]).toEqual([0, 1, 5, 3, 4, 5, 6, 7]);
  });
});

describe('dedup string table', () => {
  it('lists strings in first-reference order, then .BTF.ext strings in libbpf visit order', () => {
    // Types in id order, each its name then member names; then func_info
    // section names, line_info section name + file + line per record, then
    // CO-RE section name + access string. Duplicates keep their first place.
    const btf = btfOf([int('int'), struct('s', 4, [['x', 1, 0]]), struct('s', 4, [['y', 1, 0]])]);
    const sec = (name: string, records: unknown[]) => ({ secName: name, secNameOff: 0, records });
    const ext = {
      littleEndian: true,
      funcInfo: { recSize: 8, sections: [sec('prog', [{ insnOff: 0, typeId: 1 }])] },
      lineInfo: { recSize: 16, sections: [sec('prog', [{ insnOff: 0, fileNameOff: 0, lineOff: 0, lineCol: 0, fileName: 'a.c', line: 'int x;' }])] },
      coreRelo: { recSize: 16, sections: [sec('other', [{ insnOff: 0, typeId: 2, accessStrOff: 0, accessStr: '0:1', kind: 0 }])] },
    } as unknown as BtfExt;
    const r = dedupBtf(btf, { ext });
    const table = Buffer.from(r.btf.strings.bytes).toString('latin1');
    expect(table).toBe('\0int\0s\0x\0y\0prog\0a.c\0int x;\0other\0' + '0:1\0');
    expect(r.stringOffset('a.c')).toBe(table.indexOf('a.c'));
    expect(r.stringOffset('missing')).toBeUndefined();
  });

  it("'keep' leaves the table as it is, strings of dropped types included", () => {
    const btf = btfOf([int('int'), int('int')]);
    const bytes = new TextEncoder().encode('\0zzz\0int\0');
    const withTable = new Btf({ types: [...btf], strings: new StringTable(bytes), littleEndian: true });
    const r = dedupBtf(withTable, { strings: 'keep' });
    expect(r.btf.strings.bytes).toEqual(bytes);
    expect(r.btf.type(1)!.nameOff).toBe(5);
    expect(r.btf.typeCount).toBe(2);
  });

  it("'keep' leaves offsets that still name the right string, even into a table with repeats", () => {
    // "int" at 1 and again at 5: libbpf skips the string pass and keeps
    // name_off as it was, so a type naming the second copy keeps 5.
    const bytes = new TextEncoder().encode('\0int\0int\0');
    const t = { ...int('int'), id: 1, nameOff: 5 };
    const btf = new Btf({ types: [t as never], strings: new StringTable(bytes), littleEndian: true });
    expect(dedupBtf(btf, { strings: 'keep' }).btf.type(1)!.nameOff).toBe(5);
  });
});
