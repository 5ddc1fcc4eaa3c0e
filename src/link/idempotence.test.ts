/**
 * Relinking a linked object reproduces it byte for byte, the same inputs
 * always give the same bytes, and big-endian inputs link to the same
 * structure as their little-endian twins.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, testdataDir, which } from '../test-support/corpus.js';
import { Linker } from './index.js';
import { bpftoolLink, btfOf, canonicalBtf, canonicalRelocations, canonicalSymbols, elfOf } from './test-helpers.js';
import { SHT_NOBITS, SHT_PROGBITS } from '../elf/index.js';

const obj = (name: string, order: string) => join(testdataDir, 'link/obj', `${name}.${order}.o`);
const SETS: Record<string, string[]> = {
  weak: ['weak_a', 'weak_b'],
  extmap: ['extmap_use', 'extmap_def'],
  statics: ['static_a', 'static_b'],
  kconfig: ['kcfg_a', 'kcfg_b'],
  ksym: ['kcfg_a', 'ksym_b'],
  core: ['core_main', 'core_lib'],
  lib: ['lib1', 'lib2'],
  mapInMap: ['mim_use', 'mim_def'],
};

function linkBuffers(inputs: { name: string; bytes: Uint8Array }[]): Uint8Array {
  const l = new Linker();
  for (const i of inputs) l.addBuffer(i.name, i.bytes);
  return l.finalize();
}
const files = (paths: string[]) => paths.map((p) => ({ name: p, bytes: new Uint8Array(readFileSync(p)) }));

describe('link(link(x)) = link(x), deterministic', () => {
  const cases: [string, string[]][] = [
    ['corpus linked1+linked2', ['linked1-el.elf', 'linked2-el.elf'].map((f) => join(corpusDir, 'cilium-ebpf/testdata', f))],
    ...Object.entries(SETS).flatMap(([n, f]) =>
      ['bpfel', 'bpfeb'].map((o) => [`${n} ${o}`, f.map((x) => obj(x, o))] as [string, string[]]),
    ),
  ];
  for (const [name, paths] of cases) {
    it(name, () => {
      const once = linkBuffers(files(paths));
      const again = linkBuffers(files(paths));
      expect(Buffer.from(again).equals(Buffer.from(once))).toBe(true);
      const twice = linkBuffers([{ name: 'linked.o', bytes: once }]);
      expect(Buffer.from(twice).equals(Buffer.from(once))).toBe(true);
    });
  }
});

describe('big-endian inputs link like their little-endian twins', () => {
  for (const [n, f] of Object.entries(SETS)) {
    it(n, () => {
      const el = elfOf(linkBuffers(files(f.map((x) => obj(x, 'bpfel')))), 'el');
      const eb = elfOf(linkBuffers(files(f.map((x) => obj(x, 'bpfeb')))), 'eb');
      expect(eb.littleEndian).toBe(false);
      expect(canonicalSymbols(eb)).toEqual(canonicalSymbols(el));
      expect(canonicalRelocations(eb)).toEqual(canonicalRelocations(el));
      expect(canonicalBtf(btfOf(eb))).toEqual(canonicalBtf(btfOf(el)));
      const layout = (e: typeof el) =>
        e.sections.filter((s) => s.type === SHT_PROGBITS || s.type === SHT_NOBITS).map((s) => `${s.name}:${s.name.startsWith('.BTF') ? '' : s.size}:${s.addralign}`);
      expect(layout(eb)).toEqual(layout(el));
    });
  }
});

const bpftool = which('bpftool');
describe.skipIf(bpftool === undefined)('bpftool 7.1 for comparison', () => {
  it('needs one relink to reach its fixed point; bpfkit does not', () => {
    const tmp = mkdtempSync('/tmp/bpfkit-link-fix-');
    try {
      const ref = join(corpusDir, 'cilium-ebpf/testdata/linked-el.elf');
      const r1 = join(tmp, 'r1.o');
      const r2 = join(tmp, 'r2.o');
      expect(bpftoolLink(bpftool!, r1, [ref]).ok).toBe(true);
      expect(bpftoolLink(bpftool!, r2, [r1]).ok).toBe(true);
      expect(readFileSync(r1).equals(readFileSync(ref))).toBe(false);
      expect(readFileSync(r2).equals(readFileSync(r1))).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
