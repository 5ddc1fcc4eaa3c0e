/**
 * `--sort` and `--kfuncs`: newer bpftool's (7.5+) C dump, which Debian's
 * bpftool 7.1 cannot produce, so the expectations come from the rules
 * (sort.ts, kfuncs.ts), from bpftool 7.1's raw dump of the same BTF (which
 * functions carry a `bpf_kfunc` tag), from clang (the header compiles) and
 * from the point of sorting (the output does not depend on type ids).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StringTable } from '../../../internal/strings.js';
import { hasVmlinux, vmlinuxPath, which } from '../../../test-support/corpus.js';
import { Btf, encodeBtf, Kind, loadBtf, parseBtf, type AnyBtfType } from '../../index.js';
import { remapTypeRefs } from '../../type-refs.js';
import { formatC } from './index.js';

const c = { nameOff: 0, kflag: false };
const T = {
  int: (id: number, name: string, size = 4): AnyBtfType => ({ id, kind: Kind.Int, name, ...c, vlen: 0, size, encoding: 1, bitsOffset: 0, bits: size * 8, reservedBits: 0 }),
  float: (id: number, name: string): AnyBtfType => ({ id, kind: Kind.Float, name, ...c, vlen: 0, size: 8 }),
  struct: (id: number, name: string, member: string, type: number): AnyBtfType => ({
    id,
    kind: Kind.Struct,
    name,
    ...c,
    size: 4,
    members: [{ name: member, nameOff: 0, type, bitsOffset: 0, bitfieldSize: 0 }],
  }),
  enm: (id: number, name: string, values: string[]): AnyBtfType => ({
    id,
    kind: Kind.Enum,
    name,
    ...c,
    size: 4,
    values: values.map((n, i) => ({ name: n, nameOff: 0, value: i })),
  }),
  typedef: (id: number, name: string, type: number): AnyBtfType => ({ id, kind: Kind.Typedef, name, ...c, vlen: 0, type }),
  proto: (id: number, ret: number, params: [string, number][]): AnyBtfType => ({
    id,
    kind: Kind.FuncProto,
    name: '',
    ...c,
    returnType: ret,
    params: params.map(([name, type]) => ({ name, nameOff: 0, type })),
  }),
  func: (id: number, name: string, proto: number): AnyBtfType => ({ id, kind: Kind.Func, name, ...c, type: proto, linkage: 1 }),
  tag: (id: number, name: string, type: number, componentIdx = -1): AnyBtfType => ({ id, kind: Kind.DeclTag, name, ...c, vlen: 0, type, componentIdx }),
};

function build(types: AnyBtfType[]): Btf {
  const btf = new Btf({ types, strings: new StringTable(new Uint8Array([0])), littleEndian: true });
  return parseBtf(encodeBtf(btf));
}

/** The same types with ids permuted (`order[i]` = old id of new id i+1). */
function permuted(types: AnyBtfType[], order: number[]): AnyBtfType[] {
  const newId = new Map<number, number>([[0, 0]]);
  order.forEach((old, i) => newId.set(old, i + 1));
  return order.map((old, i) => remapTypeRefs(types[old - 1]!, i + 1, (x) => newId.get(x)!));
}

const sample: AnyBtfType[] = [
  T.struct(1, 'zeta', 'z', 2),
  T.int(2, 'int'),
  T.struct(3, 'alpha', 'a', 2),
  T.enm(4, '', ['Z_ONE']),
  T.enm(5, '', ['A_ONE']),
  T.enm(6, 'color', ['RED']),
  T.typedef(7, 'alpha_t', 3),
  T.typedef(8, 'u32', 2),
  T.float(9, 'double'),
];

/** Positions of the given snippets in `text`, which must all be there. */
function positions(text: string, snippets: string[]): number[] {
  return snippets.map((s) => {
    const at = text.indexOf(s);
    expect(at, `missing: ${s}`).toBeGreaterThanOrEqual(0);
    return at;
  });
}

describe('--sort: the order of newer bpftool', () => {
  it('anonymous enums by first enumerator, named enums, typedefs of ints, named structs with their typedefs, by name', () => {
    const out = formatC(build(sample), { sort: true });
    const order = ['enum {\n\tA_ONE', 'enum {\n\tZ_ONE', 'enum color {', 'typedef int u32;', 'struct alpha {', 'typedef struct alpha alpha_t;', 'struct zeta {'];
    const at = positions(out, order);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('id order without it (bpftool 7.1)', () => {
    const out = formatC(build(sample));
    const at = positions(out, ['struct zeta {', 'struct alpha {', 'enum {\n\tZ_ONE', 'enum {\n\tA_ONE']);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('does not depend on type ids: every permutation of the ids prints the same header', () => {
    const want = formatC(build(sample), { sort: true });
    let seed = 7;
    for (let k = 0; k < 20; k++) {
      const order = sample.map((t) => t.id);
      for (let i = order.length - 1; i > 0; i--) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const j = seed % (i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      expect(formatC(build(permuted(sample, order)), { sort: true })).toBe(want);
    }
  });

  it('same-named structs are told apart by their members, not their ids', () => {
    const twins: AnyBtfType[] = [T.int(1, 'int'), T.int(2, 'long', 8), T.struct(3, 'dup', 'b', 2), T.struct(4, 'dup', 'a', 1)];
    const a = formatC(build(twins), { sort: true });
    const b = formatC(build(permuted(twins, [1, 2, 4, 3])), { sort: true });
    expect(b).toBe(a);
    expect(a).toMatch(/struct dup \{\n\tint a;\n\};\n\nstruct dup___2 \{\n\tlong b;|struct dup \{\n\tlong b;\n\};\n\nstruct dup___2 \{\n\tint a;/);
  });
});

describe('--kfuncs: the kfunc prototype block', () => {
  const kf: AnyBtfType[] = [
    T.int(1, 'int'),
    T.proto(2, 1, [['x', 1]]),
    T.func(3, 'zz_kfunc', 2),
    T.tag(4, 'bpf_kfunc', 3),
    T.func(5, 'aa_kfunc', 2),
    T.tag(6, 'bpf_kfunc', 5),
    T.tag(7, 'bpf_fastcall', 5),
    T.func(8, 'not_a_kfunc', 2),
    T.tag(9, 'other', 8),
    T.func(10, 'param_tagged', 2),
    T.tag(11, 'bpf_kfunc', 10, 0),
  ];

  it('one extern per bpf_kfunc-tagged function, by name, __bpf_fastcall where tagged, after the types', () => {
    const out = formatC(build(kf), { kfuncs: true });
    expect(out).toContain('#ifndef __ksym\n#define __ksym __attribute__((section(".ksyms")))\n#endif\n');
    expect(out).toContain('#if __has_attribute(bpf_fastcall)\n#define __bpf_fastcall __attribute__((bpf_fastcall))\n#else\n#define __bpf_fastcall\n#endif\n');
    const block = out.slice(out.indexOf('/* BPF kfuncs */'));
    expect(block).toBe(
      '/* BPF kfuncs */\n#ifndef BPF_NO_KFUNC_PROTOTYPES\n' +
        'extern __bpf_fastcall int aa_kfunc(int x) __weak __ksym;\n' +
        'extern int zz_kfunc(int x) __weak __ksym;\n' +
        '#endif\n\n' +
        '#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n#endif /* __VMLINUX_H__ */\n',
    );
  });

  it('no block with --root-id (bpftool prints it only for whole dumps)', () => {
    const out = formatC(build(kf), { kfuncs: true, rootIds: [3] });
    expect(out).not.toContain('BPF kfuncs');
  });
});

const bpftool = which('bpftool');
const clang = which('clang-19');
if (!hasVmlinux || bpftool === undefined || clang === undefined) {
  console.warn('SKIP sorted/kfunc vmlinux.h checks: need /sys/kernel/btf/vmlinux, bpftool and clang-19');
}

describe.skipIf(!hasVmlinux || bpftool === undefined || clang === undefined)('vmlinux.h with --sort --kfuncs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bpfkit-c-sorted-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const btf = loadBtf(vmlinuxPath);
  const sorted = formatC(btf, { sort: true, kfuncs: true });
  const plain = formatC(btf);

  it('defines the same types as the id-order dump', () => {
    // Which of two same-named types gets the plain name and which `___2`
    // follows the printing order, so the suffixes are left out.
    const defs = (text: string): string[] =>
      text
        .split('\n')
        .filter((l) => /^(struct|union|enum) \S+ \{$/.test(l) || /^typedef /.test(l))
        .map((l) => l.replace(/___\d+\b/g, ''))
        .sort();
    expect(defs(sorted)).toEqual(defs(plain));
  });

  it('declares exactly the functions bpftool 7.1 shows with a bpf_kfunc tag, in name order', () => {
    const raw = spawnSync(bpftool!, ['btf', 'dump', 'file', vmlinuxPath], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
    const funcName = new Map<string, string>();
    const tagged = new Set<string>();
    for (const line of raw.split('\n')) {
      let m = /^\[(\d+)\] FUNC '([^']+)'/.exec(line);
      if (m !== null) funcName.set(m[1]!, m[2]!);
      m = /^\[\d+\] DECL_TAG 'bpf_kfunc' type_id=(\d+) component_idx=-1$/.exec(line);
      if (m !== null) tagged.add(m[1]!);
    }
    const want = [...tagged].map((id) => funcName.get(id)!).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(want.length).toBeGreaterThan(0);
    const got = sorted
      .split('\n')
      .filter((l) => l.startsWith('extern ') && l.endsWith(' __weak __ksym;'))
      // type tags print as __attribute__((btf_type_tag("..."))): drop them,
      // then the name is the word before the first parenthesis (no kfunc
      // returns a function pointer)
      .map((l) => /^extern [^(]*?(\w+)\(/.exec(l.replace(/ ?__attribute__\(\(btf_type_tag\("[^"]*"\)\)\)/g, ''))?.[1]);
    expect(got).toEqual(want);
  });

  it('compiles with clang-19 -target bpf, and a program can call a kfunc from it', () => {
    writeFileSync(join(tmp, 'vmlinux.h'), sorted);
    const first = /extern (?:__bpf_fastcall )?\w[\w\s*]*?\b(\w+)\(void\) __weak __ksym;/.exec(sorted);
    const call = first !== null ? `${first[1]}();` : '';
    writeFileSync(join(tmp, 't.c'), `#include "vmlinux.h"\nint f(void) { ${call} return 0; }\n`);
    const r = spawnSync(clang!, ['-target', 'bpf', '-O2', '-c', join(tmp, 't.c'), '-o', join(tmp, 't.o')], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.status).toBe(0);
  }, 60_000);
});
