/**
 * Test inputs shared by the btfgen suites: objects that carry CO-RE
 * relocation records, and the target BTFs to minimize.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readBytes } from '../../internal/files.js';
import { allObjects, corpusDir, hasVmlinux, testdataDir, vmlinuxPath } from '../../test-support/corpus.js';
import { readBtfgenObject, type BtfgenObject } from './index.js';

export interface CoreObject {
  path: string;
  littleEndian: boolean;
  obj: BtfgenObject;
}

/** Every object (corpus, testdata/) whose .BTF.ext has CO-RE records. */
export function coreObjects(): CoreObject[] {
  const out: CoreObject[] = [];
  const seen = new Set<string>();
  for (const path of [...allObjects(), ...btfgenTestdata()]) {
    if (seen.has(path)) continue;
    seen.add(path);
    let obj: BtfgenObject;
    try {
      obj = readBtfgenObject(path);
    } catch {
      continue;
    }
    const n = obj.btfExt?.coreRelo.sections.reduce((a, s) => a + s.records.length, 0) ?? 0;
    if (n > 0) out.push({ path, littleEndian: obj.btfExt!.littleEndian, obj });
  }
  return out;
}

/** Objects under testdata/ outside obj/ (testdata/core, testdata/btfgen). */
function btfgenTestdata(): string[] {
  const dirs = ['core', 'btfgen'].map((d) => join(testdataDir, d));
  const out: string[] = [];
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const f of ['local', 'prog', 'kreads'].flatMap((n) => [`${n}.bpfel.o`, `${n}.bpfeb.o`])) {
      const p = join(d, f);
      if (existsSync(p)) out.push(p);
    }
  }
  return out;
}

export const corpusVmlinuxGz = join(corpusDir, 'cilium-ebpf', 'btf', 'testdata', 'vmlinux.btf.gz');

/** Kernel BTFs to minimize: the running kernel's and the corpus one
 * (gunzipped to a temporary file, since bpftool reads raw BTF only). */
export function kernelTargets(): { targets: { name: string; path: string }[]; cleanup: () => void } {
  const targets: { name: string; path: string }[] = [];
  if (hasVmlinux) targets.push({ name: 'running vmlinux', path: vmlinuxPath });
  let dir: string | undefined;
  if (existsSync(corpusVmlinuxGz)) {
    dir = mkdtempSync(join(tmpdir(), 'bpfkit-btfgen-'));
    const p = join(dir, 'vmlinux.btf');
    writeFileSync(p, gunzipSync(readBytes(corpusVmlinuxGz)));
    targets.push({ name: 'corpus vmlinux', path: p });
  }
  return { targets, cleanup: () => dir !== undefined && rmSync(dir, { recursive: true, force: true }) };
}
