/**
 * Differential test: dumpC must print exactly what Debian's bpftool 7.1
 * (libbpf 1.1) prints for `btf dump file X format c`: every BTF-carrying
 * object of the corpus and testdata (both byte orders), our own hard cases
 * in testdata/btf-c, the split BTF pair, the gzip'd
 * vmlinux blob and the running kernel's BTF. Skips (with a printed reason)
 * when bpftool is absent.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BpfkitError } from '../../../internal/errors.js';
import { allObjects, corpusDir, hasVmlinux, label, testdataDir, vmlinuxPath, which } from '../../../test-support/corpus.js';
import { loadBtf, type Btf } from '../../index.js';
import { dumpC } from './index.js';

const bpftool = which('bpftool');
if (bpftool === undefined) console.warn('SKIP C dump differential tests: bpftool is not installed (apt-get install bpftool)');

function btfCObjects(): string[] {
  const dir = join(testdataDir, 'btf-c', 'obj');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.o'))
    .sort()
    .map((f) => join(dir, f));
}

function bpftoolC(file: string, base?: string): Buffer | undefined {
  const args = [...(base !== undefined ? ['-B', base] : []), 'btf', 'dump', 'file', file, 'format', 'c'];
  const r = spawnSync(bpftool!, args, { maxBuffer: 1 << 30 });
  return r.status === 0 ? r.stdout : undefined;
}

function same(mine: Uint8Array, want: Buffer): void {
  const m = Buffer.from(mine);
  // Compare as text so a failure shows the differing line.
  if (!m.equals(want)) expect(m.toString('latin1')).toBe(want.toString('latin1'));
}

/** Compare one file; where bpftool refuses it, bpfkit must refuse too. */
function compare(file: string, base?: string): 'same' | 'both-refused' {
  const want = bpftoolC(file, base);
  const baseBtf: Btf | undefined = base !== undefined ? loadBtf(base) : undefined;
  if (want === undefined) {
    expect(() => dumpC(loadBtf(file, { base: baseBtf }))).toThrow(BpfkitError);
    return 'both-refused';
  }
  same(dumpC(loadBtf(file, { base: baseBtf })), want);
  return 'same';
}

describe.skipIf(bpftool === undefined)('btf dump format c matches bpftool 7.1', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bpfkit-c-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const objects = [...allObjects(), ...btfCObjects()];
  const outcomes: string[] = [];
  for (const f of objects) {
    it(label(f), () => {
      outcomes.push(compare(f));
    });
  }
  it('most objects carry BTF and were compared byte for byte', () => {
    const n = outcomes.filter((o) => o === 'same').length;
    console.log(`C dump differential: ${n} identical, ${outcomes.length - n} refused by both`);
    expect(n).toBeGreaterThan(90);
  });

  it('split BTF on its base (corpus btf_testmod)', () => {
    const d = join(corpusDir, 'cilium-ebpf/btf/testdata');
    expect(compare(join(d, 'btf_testmod.btf'), join(d, 'btf_testmod.btf.base'))).toBe('same');
  });

  it('gzip-compressed vmlinux blob', () => {
    const gz = join(corpusDir, 'cilium-ebpf/btf/testdata/vmlinux.btf.gz');
    const p = join(tmp, 'vmlinux.btf');
    writeFileSync(p, gunzipSync(readFileSync(gz)));
    same(dumpC(loadBtf(gz)), bpftoolC(p)!);
  });

  it.skipIf(!hasVmlinux)('the running kernel: /sys/kernel/btf/vmlinux', () => {
    expect(compare(vmlinuxPath)).toBe('same');
  });

  it('root ids dump only what they need, in order', () => {
    const f = join(testdataDir, 'btf-c/obj/ordering.bpfel.o');
    const btf = loadBtf(f);
    const id = btf.find('uses_typedefs')!.id;
    const out = Buffer.from(dumpC(btf, { rootIds: [id] })).toString('latin1');
    const full = Buffer.from(dumpC(btf)).toString('latin1');
    expect(out.startsWith('#ifndef __VMLINUX_H__')).toBe(true);
    expect(out).toContain('struct uses_typedefs {');
    expect(out).not.toContain('struct b_node {');
    expect(out.length).toBeLessThan(full.length);
  });
});
