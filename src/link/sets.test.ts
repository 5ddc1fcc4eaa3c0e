/**
 * bpfkit's linker on the multi-file C programs of testdata/link, against
 * bpftool 7.1's `gen object` on the same inputs and against the kernel.
 * Expectations come from the C sources (which definition wins), from
 * bpftool's output (types, symbols, bytes) and from the kernel (loading).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Kind } from '../btf/index.js';
import { readSymbols, STB_GLOBAL, STB_WEAK, STV_HIDDEN } from '../elf/index.js';
import { openObject } from '../object/index.js';
import { testdataDir, which } from '../test-support/corpus.js';
import { Linker } from './index.js';
import {
  bpftoolJson,
  bpftoolLink,
  btfOf,
  canonicalBtf,
  canonicalRelocations,
  canonicalSymbols,
  dataSections,
  datasecVsSymbols,
  elfOf,
  loadWithBpftool,
} from './test-helpers.js';

const obj = (name: string, order = 'bpfel') => join(testdataDir, 'link/obj', `${name}.${order}.o`);

interface LinkSet {
  name: string;
  files: string[];
  /** Where bpftool 7.1 is wrong: what goes wrong with its output. */
  bpftoolBug?: 'fails to link' | 'output fails to open';
  /** What libbpf says about bpftool's output, when it fails to open. */
  bpftoolLoadError?: RegExp;
}

const SETS: LinkSet[] = [
  // weak_here is weak in the first file and strong in the second: bpftool
  // keeps the weak definition's DATASEC offset, libbpf then cannot match the
  // relocation against the strong symbol to a map.
  { name: 'weak', files: ['weak_a', 'weak_b'], bpftoolBug: 'output fails to open', bpftoolLoadError: /map relo failed to find map/ },
  // extern maps defined in a later file: bpftool puts them in the .maps
  // DATASEC at the extern's offset (0), where local_only lives.
  { name: 'extmap', files: ['extmap_use', 'extmap_def'], bpftoolBug: 'output fails to open', bpftoolLoadError: /map relo failed to find map/ },
  { name: 'extmap-defined-first', files: ['extmap_def', 'extmap_use'] },
  { name: 'statics', files: ['static_a', 'static_b'] },
  { name: 'kconfig', files: ['kcfg_a', 'kcfg_b'] },
  // A typeless ksym (`const void`) declared in two files: bpftool fails
  // ("failed to resolve size of underlying type").
  { name: 'ksym-twice', files: ['kcfg_a', 'ksym_b'], bpftoolBug: 'fails to link' },
  { name: 'core', files: ['core_main', 'core_lib'] },
  // A map-in-map with an initial value, declared extern in another file.
  // Extern first: the extern's DATASEC offset again. Definition first:
  // bpftool sizes the DATASEC entry by the type (24 bytes), which leaves out
  // the `.values` slot the `.rel.maps` relocation points into.
  { name: 'map-in-map', files: ['mim_use', 'mim_def'], bpftoolBug: 'output fails to open', bpftoolLoadError: /map relo failed to find map/ },
  {
    name: 'map-in-map-defined-first',
    files: ['mim_def', 'mim_use'],
    bpftoolBug: 'output fails to open',
    bpftoolLoadError: /\.maps relo #0: cannot find map 'inner_a'/,
  },
];

function link(files: string[]): Uint8Array {
  const l = new Linker();
  for (const f of files) l.addFile(f);
  return l.finalize();
}

const tmp = mkdtempSync('/tmp/bpfkit-link-sets-');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('resolution follows the C sources', () => {
  it('weak/strong: strong wins in either order, the first weak wins among weaks, hidden sticks', () => {
    const bytes = link([obj('weak_a'), obj('weak_b')]);
    const elf = elfOf(bytes, 'weak');
    const syms = new Map(readSymbols(elf).map((s) => [s.name, s]));
    const a = elfOf(require_bytes(obj('weak_a')), 'a');
    const b = elfOf(require_bytes(obj('weak_b')), 'b');
    const aSyms = new Map(readSymbols(a).map((s) => [s.name, s]));
    const bSyms = new Map(readSymbols(b).map((s) => [s.name, s]));
    const maps = dataSections(a).get('.maps')!;
    const dataA = dataSections(a).get('.data')!;
    // .maps of weak_b starts after weak_a's (both 8-aligned)
    const bMaps = maps.size;
    expect(syms.get('weak_here')!.value).toBe(BigInt(bMaps) + bSyms.get('weak_here')!.value); // strong in b
    expect(syms.get('strong_here')!.value).toBe(aSyms.get('strong_here')!.value); // strong in a
    expect(syms.get('weak_both')!.value).toBe(aSyms.get('weak_both')!.value); // first weak
    expect(syms.get('weak_both')!.bind).toBe(STB_WEAK);
    expect(syms.get('weak_here')!.bind).toBe(STB_GLOBAL);
    expect(syms.get('strong_here')!.bind).toBe(STB_GLOBAL);
    // variables: wvar = 2 (b's strong), svar = 10 (a's strong)
    const data = dataSections(elf).get('.data')!;
    const word = (off: bigint) => Buffer.from(data.hex, 'hex').readInt32LE(Number(off));
    expect(word(syms.get('wvar')!.value)).toBe(2);
    expect(word(syms.get('svar')!.value)).toBe(10);
    expect(syms.get('svar')!.value).toBe(aSyms.get('svar')!.value);
    expect(syms.get('wvar')!.value).toBeGreaterThanOrEqual(BigInt(dataA.size));
    // functions: pick from b (strong); hidden_fn declared hidden only in b
    expect(syms.get('pick')!.value).toBeGreaterThanOrEqual(BigInt(dataSections(a).get('.text')!.size));
    expect(syms.get('hidden_fn')!.visibility).toBe(STV_HIDDEN);
    expect(aSyms.get('hidden_fn')!.visibility).not.toBe(STV_HIDDEN);
    // exactly one DATASEC entry per global, at its symbol
    const btf = btfOf(elf);
    for (const t of btf) {
      if (t.kind !== Kind.Datasec) continue;
      const names = t.vars.map((v) => btf.type(v.type)!.name);
      expect(new Set(names).size, t.name).toBe(names.length);
      for (const v of t.vars) {
        const s = syms.get(btf.type(v.type)!.name);
        if (s !== undefined && s.shndx !== 0) expect(v.offset, `${t.name}`).toBe(Number(s.value));
      }
    }
  });

  it('same-named statics coexist and custom sections take the largest alignment', () => {
    const elf = elfOf(link([obj('static_a'), obj('static_b')]), 'statics');
    // (clang folds the static const `limit`, so it has no symbol)
    const helpers = readSymbols(elf).filter((s) => s.name === 'helper' || s.name === 'counter');
    expect(helpers.map((s) => s.name).sort()).toEqual(['counter', 'counter', 'helper', 'helper']);
    expect(new Set(helpers.map((s) => `${s.name}@${s.shndx}:${s.value}`)).size).toBe(4);
    const secs = dataSections(elf);
    const a = dataSections(elfOf(require_bytes(obj('static_a')), 'a'));
    // .data.mixed: 3 bytes (align 1) from a, then b's u64 at offset 8
    expect(secs.get('.data.mixed')!.align).toBe(8);
    expect(a.get('.data.mixed')!.size).toBe(3);
    expect(secs.get('.data.mixed')!.size).toBe(16);
    expect(secs.get('.data.mixed')!.hex).toBe('0102030000000000' + '8877665544332211');
    expect(secs.get('.rodata.mixed')!.align).toBe(8);
  });

  it('kconfig and ksym externs stay externs, each once', () => {
    const elf = elfOf(link([obj('kcfg_a'), obj('kcfg_b')]), 'kconfig');
    const syms = readSymbols(elf);
    for (const n of ['LINUX_KERNEL_VERSION', 'CONFIG_BPF_SYSCALL', 'LINUX_HAS_SYSCALL_WRAPPER', 'bpf_prog_put']) {
      const s = syms.filter((x) => x.name === n);
      expect(s.length, n).toBe(1);
      expect(s[0].shndx, n).toBe(0);
    }
    const btf = btfOf(elf);
    const kc = btf.find('.kconfig', Kind.Datasec)!;
    expect(kc.kind === Kind.Datasec && kc.vars.map((v) => btf.type(v.type)!.name).sort()).toEqual([
      'CONFIG_BPF_SYSCALL',
      'LINUX_HAS_SYSCALL_WRAPPER',
      'LINUX_KERNEL_VERSION',
    ]);
  });

  it('CO-RE records of both files follow their instructions', () => {
    const o = openObject(link([obj('core_main'), obj('core_lib')]), { file: 'core' });
    const ext = o.btfExt!;
    const relos = ext.coreRelo.sections.flatMap((s) => s.records.map((r) => `${s.secName}:${r.accessStr}`));
    expect(relos.length).toBe(2);
    // read_tgid (from core_lib) lives in .text; core_prog's own access in its section
    expect(relos.sort()).toEqual(['.text:0:1', 'raw_tp/sys_enter:0:0']);
  });

  it('links a library in two steps (unresolved externs stay undefined)', () => {
    const lib = link([obj('lib1'), obj('lib2')]);
    const libSyms = readSymbols(elfOf(lib, 'lib'));
    const limit = libSyms.find((s) => s.name === 'app_limit')!;
    expect(limit.shndx).toBe(0);
    writeFileSync(join(tmp, 'lib.o'), lib);
    const app = elfOf(link([join(tmp, 'lib.o'), obj('app')]), 'app');
    const syms = readSymbols(app);
    expect(syms.filter((s) => s.shndx === 0 && s.index !== 0).map((s) => s.name)).toEqual([]);
  });
});

describe('extern maps across link steps', () => {
  it('an extern map stays undefined until defined; two steps give the bytes of one', () => {
    const step1 = link([obj('extmap_use')]);
    const syms = readSymbols(elfOf(step1, 'step1'));
    // bpftool 7.1 gives these symbols the .maps section index (defined);
    // they are externs and must stay undefined.
    for (const n of ['shared_stats', 'shared_cfg']) expect(syms.find((s) => s.name === n)!.shndx, n).toBe(0);
    writeFileSync(join(tmp, 'step1.o'), step1);
    const twoSteps = link([join(tmp, 'step1.o'), obj('extmap_def')]);
    const direct = link([obj('extmap_use'), obj('extmap_def')]);
    expect(Buffer.from(twoSteps).equals(Buffer.from(direct))).toBe(true);
  });
});

const bpftool = which('bpftool');
const root = process.getuid?.() === 0;
if (bpftool === undefined) console.warn('skipping bpftool differential tests: bpftool not found');
if (!root) console.warn('skipping kernel load tests: not root');

describe.skipIf(bpftool === undefined)('differential against bpftool 7.1 gen object (and the kernel)', () => {
  for (const set of SETS) {
    it(`${set.name}${set.bpftoolBug ? ` (bpftool 7.1 ${set.bpftoolBug})` : ''}`, () => {
      const files = set.files.map((f) => obj(f));
      const ours = link(files);
      const oursPath = join(tmp, `${set.name}.bpfkit.o`);
      writeFileSync(oursPath, ours);
      const refPath = join(tmp, `${set.name}.bpftool.o`);
      const ref = bpftoolLink(bpftool!, refPath, files);
      if (set.bpftoolBug === 'fails to link') {
        expect(ref.ok, ref.log).toBe(false);
      } else {
        expect(ref.ok, ref.log).toBe(true);
        const a = elfOf(ours, 'bpfkit');
        const b = elfOf(require_bytes(refPath), 'bpftool');
        expect(dataSections(a)).toEqual(dataSections(b));
        expect(canonicalSymbols(a)).toEqual(canonicalSymbols(b));
        expect(canonicalRelocations(a)).toEqual(canonicalRelocations(b));
        expect(canonicalBtf(btfOf(a), { datasecOffsets: false })).toEqual(canonicalBtf(btfOf(b), { datasecOffsets: false }));
        if (set.bpftoolBug === undefined) expect(canonicalBtf(btfOf(a))).toEqual(canonicalBtf(btfOf(b)));
        // Our DATASECs agree with bpftool's own symbol table (which is right).
        expect(datasecVsSymbols(btfOf(a), b)).toEqual([]);
        if (set.bpftoolBug !== undefined) expect(datasecVsSymbols(btfOf(b), b)).not.toEqual([]);
      }
      if (!root) return;
      // Map-in-map: slot 0 of `outer` must hold inner_a (the .rel.maps entry).
      const slotZero = (maps: string): unknown => {
        if (!set.files.includes('mim_def')) return undefined;
        const inner = bpftoolJson(bpftool!, ['map', 'show', 'pinned', join(maps, 'inner_a')]) as { id: number };
        const dump = bpftoolJson(bpftool!, ['map', 'dump', 'pinned', join(maps, 'outer')]) as { key: string[]; value: string[] }[];
        const v = dump.find((e) => e.key.every((b) => Number(b) === 0))!.value.map((b) => Number(b));
        return { inner: inner.id, slot0: v[0] | (v[1] << 8) | (v[2] << 16) | (v[3] << 24) };
      };
      const mine = loadWithBpftool(bpftool!, oursPath, slotZero);
      expect(mine.ok, mine.log).toBe(true);
      if (set.files.includes('mim_def')) {
        const { inner, slot0 } = mine.inspected as { inner: number; slot0: number };
        expect(slot0).toBe(inner);
      }
      const progs = openObject(ours, { file: 'bpfkit' }).programs.map((p) => p.name).sort();
      expect(mine.programs).toEqual(progs);
      if (set.bpftoolBug === undefined) {
        const theirs = loadWithBpftool(bpftool!, refPath);
        expect(theirs.ok, theirs.log).toBe(true);
        expect(mine.programs).toEqual(theirs.programs);
        expect(mine.maps).toEqual(theirs.maps);
      } else if (set.bpftoolBug === 'output fails to open') {
        const theirs = loadWithBpftool(bpftool!, refPath);
        expect(theirs.ok).toBe(false);
        expect(theirs.log).toMatch(set.bpftoolLoadError!);
      }
    });
  }

  it('library in two steps: lib1+lib2 -> lib.o, then lib.o + app', () => {
    const libOurs = join(tmp, 'lib2.bpfkit.o');
    const libRef = join(tmp, 'lib2.bpftool.o');
    writeFileSync(libOurs, link([obj('lib1'), obj('lib2')]));
    expect(bpftoolLink(bpftool!, libRef, [obj('lib1'), obj('lib2')]).ok).toBe(true);
    const appOurs = join(tmp, 'app.bpfkit.o');
    const appRef = join(tmp, 'app.bpftool.o');
    writeFileSync(appOurs, link([libOurs, obj('app')]));
    expect(bpftoolLink(bpftool!, appRef, [libRef, obj('app')]).ok).toBe(true);
    const a = elfOf(require_bytes(appOurs), 'bpfkit');
    const b = elfOf(require_bytes(appRef), 'bpftool');
    expect(canonicalSymbols(a)).toEqual(canonicalSymbols(b));
    expect(canonicalBtf(btfOf(a))).toEqual(canonicalBtf(btfOf(b)));
    if (!root) return;
    const mine = loadWithBpftool(bpftool!, appOurs);
    const theirs = loadWithBpftool(bpftool!, appRef);
    expect(mine.ok, mine.log).toBe(true);
    expect(theirs.ok, theirs.log).toBe(true);
    expect(mine.programs).toEqual(theirs.programs);
    expect(mine.maps).toEqual(theirs.maps);
  });
});

function require_bytes(p: string): Uint8Array {
  return new Uint8Array(readFileSyncBuf(p));
}
import { readFileSync as readFileSyncBuf } from 'node:fs';
