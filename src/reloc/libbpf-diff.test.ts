/**
 * Differential test against libbpf (bpftool 7.1 / libbpf 1.1): as root,
 * `bpftool -d prog loadall` relocates testdata/obj/core.bpfel.o against the
 * running kernel and logs each decision ("prog 'X': relo #N: <spec>",
 * "matching candidate #i <spec>", "patched insn #K (...) imm A -> B",
 * "substituting insn #K w/ invalid insn"). We relocate the same object
 * against /sys/kernel/btf/vmlinux and compare spec text, patched values
 * and poisoning. Only little-endian objects: libbpf refuses objects of the
 * other byte order. Relocations libbpf resolved against a kernel module's
 * BTF (it searches modules when vmlinux has no candidate) are not compared.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadBtf } from '../btf/index.js';
import { openObjectFile } from '../object/index.js';
import { corpusDir, hasVmlinux, label, testdataDir, vmlinuxPath, which } from '../test-support/corpus.js';
import { relocateObject } from './index.js';
import { analyzeReachability } from './reach.js';

const bpftool = which('bpftool');
const isRoot = process.getuid?.() === 0;
const bpffs = existsSync('/sys/fs/bpf');
const skipReason =
  bpftool === undefined ? 'bpftool is not installed' : !isRoot ? 'not root' : !hasVmlinux ? 'no /sys/kernel/btf/vmlinux' : !bpffs ? 'no /sys/fs/bpf' : undefined;
if (skipReason !== undefined) console.warn(`SKIP CO-RE differential test against libbpf: ${skipReason}`);

interface LibbpfRelo {
  local?: string;
  candidates: string[];
  patched?: bigint;
  poisoned: boolean;
  failed?: string;
}

function parseLog(log: string): { relos: Map<string, LibbpfRelo>; moduleTypes: Set<string> } {
  const relos = new Map<string, LibbpfRelo>();
  const moduleTypes = new Set<string>();
  const get = (prog: string, n: string): LibbpfRelo => {
    const k = `${prog}#${n}`;
    let r = relos.get(k);
    if (r === undefined) relos.set(k, (r = { candidates: [], poisoned: false }));
    return r;
  };
  for (const line of log.split('\n')) {
    const mod = /CO-RE relocating \[(\d+)\] .*: found target candidate .* in \[([^\]]+)\]/.exec(line);
    if (mod !== null && mod[2] !== 'vmlinux') moduleTypes.add(mod[1]);
    const m = /libbpf: prog '([^']+)': relo #(\d+): (.*)$/.exec(line);
    if (m === null) continue;
    const r = get(m[1], m[2]);
    const text = m[3];
    let x: RegExpExecArray | null;
    if ((x = /^matching candidate #\d+ (.*)$/.exec(text)) !== null) r.candidates.push(x[1]);
    else if ((x = /^patched insn #\d+ \([^)]*\) (?:imm|off|imm64) (\d+) -> (\d+)$/.exec(text)) !== null) r.patched = BigInt(x[2]);
    else if (/^substituting insn #\d+ w\/ invalid insn$/.test(text)) r.poisoned = true;
    else if (text.startsWith('<') && r.local === undefined) r.local = text;
    else if (/failed|ambiguity|unexpected/.test(text)) r.failed = text;
  }
  return { relos, moduleTypes };
}

describe('CO-RE relocation vs libbpf', () => {
  const cil = join(corpusDir, 'cilium-ebpf', 'btf', 'testdata');
  const objects = [
    join(testdataDir, 'obj', 'core.bpfel.o'),
    join(testdataDir, 'core', 'local.bpfel.o'),
    join(testdataDir, 'core', 'reach_kernel_guarded.bpfel.o'),
    join(testdataDir, 'core', 'reach_kernel_unguarded.bpfel.o'),
    join(cil, 'relocs-el.elf'),
    join(cil, 'relocs_read-el.elf'),
    join(cil, 'relocs_enum-el.elf'),
  ].filter((f) => existsSync(f));
  for (const file of objects) {
    test.skipIf(skipReason !== undefined)(label(file), () => {
      const pin = `/sys/fs/bpf/bpfkit_reloc_test_${process.pid}`;
      let log: string;
      let loaded: boolean;
      try {
        const run = spawnSync(bpftool!, ['-d', 'prog', 'loadall', file, pin], { encoding: 'utf8', timeout: 60_000 });
        log = run.stderr + run.stdout;
        loaded = run.status === 0;
      } finally {
        rmSync(pin, { recursive: true, force: true });
      }
      const { relos, moduleTypes } = parseLog(log);
      if (relos.size === 0 && !file.startsWith(testdataDir)) {
        // e.g. cilium's relocs-el.elf: section names libbpf 1.1 cannot map to
        // a program type, so it stops before relocating
        console.warn(`libbpf differential ${label(file)}: libbpf did not get to CO-RE relocation; not compared`);
        return;
      }
      expect(relos.size, 'libbpf logged no CO-RE relocations').toBeGreaterThan(0);

      const obj = openObjectFile(file);
      const vmlinux = loadBtf(vmlinuxPath);
      const { results, insnsBySection } = relocateObject(obj, vmlinux, { onError: 'collect' });
      let compared = 0;
      let poisoned = 0;
      for (const r of results) {
        const lib = relos.get(`${r.program}#${r.relo}`);
        if (lib === undefined) continue; // program libbpf did not relocate
        if (moduleTypes.has(String(r.typeId))) continue;
        const what = `${r.program} relo #${r.relo}: ${r.localSpec}`;
        expect(r.localSpec, what).toBe(lib.local);
        if (lib.failed !== undefined) {
          expect(r.error, `${what}: libbpf said ${lib.failed}`).toBeDefined();
          compared++;
          continue;
        }
        expect(r.error, what).toBeUndefined();
        expect(r.candidate, what).toBe(lib.candidates[0]);
        expect(r.poisoned, what).toBe(lib.poisoned);
        if (lib.poisoned) poisoned++;
        else expect(r.value, what).toBe(lib.patched);
        compared++;
      }
      console.log(`libbpf differential ${label(file)}: ${compared} relocations compared (${poisoned} poisoned), ${results.length} ours, ${relos.size} libbpf's`);
      expect(compared).toBe(relos.size);

      // The verifier's verdict on the poisoned instructions: a load that
      // succeeds reached none; a load refused at a poisoned instruction
      // reached one. (Loads refused for other reasons say nothing.)
      const reach = analyzeReachability(obj, insnsBySection);
      const live = results.filter((r) => r.poisoned && reach.reachable(r.sectionIndex, r.slot));
      const refusedAtPoison = /<invalid CO-RE relocation>|invalid func unknown#195896080/.test(log);
      if (loaded) expect(live.map((r) => `${r.program} relo #${r.relo}`), 'kernel loaded it').toEqual([]);
      if (refusedAtPoison) expect(live.length, 'kernel refused a poisoned instruction').toBeGreaterThan(0);
      console.log(`  verifier: ${loaded ? 'loaded' : refusedAtPoison ? 'refused at a poisoned insn' : 'refused for another reason'}; bpfkit: ${live.length} reachable poisoned`);
    });
  }
});
