/**
 * Differential test against libbpf 1.1 (bpftool 7.1's `gen object`, whose
 * static linker ends with btf__dedup): for each object bpftool links on
 * its own, the .BTF it writes must equal, byte for byte, our dedup of the
 * object's .BTF after the linker's pre-dedup steps (testing/linker-prep.ts:
 * DATASECs moved to the end with real sizes and offsets, the linker's
 * string order). bpftool refuses big-endian objects and some others; those
 * are skipped, and the count of compared objects is asserted.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readElf } from '../../elf/read.js';
import { findSection } from '../../elf/sections.js';
import { corpusObjects, label, testdataDir, which } from '../../test-support/corpus.js';
import { Kind } from '../kinds.js';
import { formatRaw } from '../dump/raw.js';
import { encodeBtf } from '../encode.js';
import { btfFromBytes } from '../load.js';
import { dedupBtf } from './index.js';
import { linkerDedupInput, linkerDedupInputOf } from './testing/linker-prep.js';

const bpftool = existsSync('/usr/sbin/bpftool') ? '/usr/sbin/bpftool' : which('bpftool');
if (bpftool === undefined) console.warn('dedup differential test skipped: bpftool not found');

/** Every object under testdata/ (all areas' subfolders, not only obj/). */
function testdataTree(dir = testdataDir, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) testdataTree(p, out);
    else if (p.endsWith('.o')) out.push(p);
  }
  return out;
}

describe.skipIf(bpftool === undefined)('dedup matches bpftool gen object (libbpf 1.1)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfkit-dedup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let compared = 0;
  let refused = 0;
  for (const f of [...corpusObjects(), ...testdataTree()]) {
    it(label(f), () => {
      const out = join(dir, 'out.o');
      try {
        execFileSync(bpftool!, ['gen', 'object', out, f], { stdio: 'pipe' });
      } catch {
        refused++; // big-endian, no BTF, or something libbpf's linker rejects
        return;
      }
      const theirs = findSection(readElf(new Uint8Array(readFileSync(out))), '.BTF')?.data;
      if (theirs === undefined) return;
      const input = linkerDedupInput(new Uint8Array(readFileSync(f)), f);
      const mine = encodeBtf(dedupBtf(input.btf, { file: f, strings: 'keep' }).btf);
      if (!Buffer.from(mine).equals(Buffer.from(theirs))) {
        // Show the difference as text, not as a byte offset.
        expect(formatRaw(btfFromBytes(mine))).toBe(formatRaw(btfFromBytes(theirs)));
        expect.fail('same dump, different bytes');
      }
      compared++;
    });
  }
  it('compared enough objects', () => {
    console.log(`dedup vs bpftool gen object: ${compared} objects byte-identical, ${refused} refused by bpftool`);
    expect(compared).toBeGreaterThan(80);
  });
});

describe.skipIf(bpftool === undefined)('dedup of two linked objects matches bpftool gen object', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfkit-dedup-pair-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(testdataDir, 'dedup/a.bpfel.o');
  const b = join(testdataDir, 'dedup/b.bpfel.o');
  for (const [title, files] of [
    ['a.o b.o', [a, b]],
    ['b.o a.o', [b, a]],
  ] as const) {
    it(title, () => {
      const out = join(dir, 'ab.o');
      execFileSync(bpftool!, ['gen', 'object', out, ...files], { stdio: 'pipe' });
      const theirs = findSection(readElf(new Uint8Array(readFileSync(out))), '.BTF')!.data;
      const input = linkerDedupInputOf(files.map((f) => ({ bytes: new Uint8Array(readFileSync(f)), file: f })));
      const r = dedupBtf(input.btf, { strings: 'keep' });
      const mine = encodeBtf(r.btf);
      expect(formatRaw(r.btf)).toBe(formatRaw(btfFromBytes(theirs)));
      expect(Buffer.from(mine).equals(Buffer.from(theirs))).toBe(true);
      // What the C says must happen, independently of bpftool: one copy of
      // each shared struct, and a's forward declaration of struct opaque
      // resolved to b's definition.
      for (const name of ['node', 'ping', 'pong', 'table', 'holder', 'opaque']) {
        expect(r.btf.idsByName(name).map((id) => r.btf.type(id)!.kind)).toEqual([Kind.Struct]);
      }
      expect(r.btf.idsByName('range_t')).toHaveLength(1);
      expect(r.btf.idsByName('color')).toHaveLength(1);
      expect(input.btf.idsByName('node').length).toBe(2);
    });
  }
});

describe.skipIf(bpftool === undefined)('dedup of big-endian objects matches bpftool on their little-endian twins', () => {
  // bpftool 7.1 refuses big-endian objects, but the corpus and testdata
  // hold each object compiled for both byte orders from one source: our
  // dedup of the big-endian BTF, written little-endian, must equal what
  // bpftool makes of the little-endian twin.
  const dir = mkdtempSync(join(tmpdir(), 'bpfkit-dedup-eb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let compared = 0;
  const twins = [...corpusObjects(), ...testdataTree()]
    .map((eb) => [eb, eb.replace(/bpfeb\.o$/, 'bpfel.o').replace(/-eb\.elf$/, '-el.elf')] as const)
    .filter(([eb, el]) => eb !== el && existsSync(el));
  for (const [eb, el] of twins) {
    it(label(eb), () => {
      const out = join(dir, 'out.o');
      try {
        execFileSync(bpftool!, ['gen', 'object', out, el], { stdio: 'pipe' });
      } catch {
        return; // bpftool cannot link the little-endian twin either
      }
      const theirs = findSection(readElf(new Uint8Array(readFileSync(out))), '.BTF')!.data;
      const input = linkerDedupInput(new Uint8Array(readFileSync(eb)), eb);
      expect(input.btf.littleEndian).toBe(false);
      const mine = encodeBtf(dedupBtf(input.btf, { file: eb, strings: 'keep' }).btf, { littleEndian: true });
      expect(Buffer.from(mine).equals(Buffer.from(theirs))).toBe(true);
      compared++;
    });
  }
  it('compared enough twins', () => {
    console.log(`dedup of big-endian twins: ${compared} byte-identical (written little-endian) with bpftool's output`);
    expect(compared).toBeGreaterThan(80);
  });
});
