/**
 * `disasm` on every object: each function's lines are exactly the lines
 * llvm-objdump-19 prints for that function's address range (skipped with a
 * reason when llvm-objdump-19 is absent), and `--prog` narrows the listing
 * to a program and what it calls.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allObjects, label, testdataDir, which } from '../test-support/corpus.js';
import { disassembleObject, formatDisasm, openObjectFile, type BpfObject } from './index.js';

const objdump = which('llvm-objdump-19');
if (objdump === undefined) console.warn('SKIP disasm differential: llvm-objdump-19 is not installed');

function openOrUndefined(f: string): BpfObject | undefined {
  try {
    return openObjectFile(f);
  } catch {
    return undefined;
  }
}

/** llvm-objdump's lines per section: slot index → instruction text. */
function objdumpLines(f: string): Map<string, Map<number, string>> {
  const r = spawnSync(objdump!, ['-d', '--no-show-raw-insn', f], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const out = new Map<string, Map<number, string>>();
  let cur: Map<number, string> | undefined;
  for (const line of r.stdout.split('\n')) {
    const sec = line.match(/^Disassembly of section (.*):$/);
    if (sec !== null) {
      cur = new Map();
      out.set(sec[1], cur);
      continue;
    }
    const ins = line.match(/^\s*(\d+):\t(.*)$/);
    if (ins !== null && cur !== undefined) cur.set(Number(ins[1]), ins[2]);
  }
  return out;
}

describe.skipIf(objdump === undefined)('disasm equals llvm-objdump-19, per function', () => {
  let functions = 0;
  let lines = 0;
  for (const f of allObjects()) {
    it(label(f), () => {
      const o = openOrUndefined(f);
      if (o === undefined) return;
      const want = objdumpLines(f);
      for (const fn of disassembleObject(o)) {
        const elfName = o.elf.sections.find((s) => s.name === fn.section || s.name === '?' + fn.section)!.name;
        const sec = want.get(elfName);
        expect(sec, `llvm-objdump shows section ${elfName}`).toBeDefined();
        for (const l of fn.lines) {
          expect(l.text, `${fn.name} slot ${l.index}`).toBe(sec!.get(l.index));
          lines++;
        }
        functions++;
      }
    });
  }
  it('compared enough', () => {
    console.log(`disasm differential: ${functions} functions, ${lines} lines`);
    expect(functions).toBeGreaterThan(200);
    expect(lines).toBeGreaterThan(5000);
  });
});

describe('disasm listing', () => {
  const o = openObjectFile(join(testdataDir, 'obj/subprogs.bpfel.o'));
  it('--prog lists the program and the sub-programs it reaches', () => {
    const l = disassembleObject(o, { prog: 'sock_first' });
    expect(l.map((f) => f.name).sort()).toEqual(['global_compute', 'mix', 'sock_first', 'step', 'store_result']);
    expect(l[0].lines.length).toBeGreaterThan(0);
    expect(formatDisasm(l)).toContain('<sock_first>:');
  });
  it('relocated instructions carry what they resolve to', () => {
    const l = disassembleObject(o, { prog: 'sock_first' });
    const all = l.flatMap((f) => f.lines);
    expect(all.some((x) => x.relocation?.kind === 'map_fd' && x.relocation.target === 'results')).toBe(true);
  });
  it('an unknown program name is an error naming the choices', () => {
    expect(() => disassembleObject(o, { prog: 'nope' })).toThrow(/no program or sub-program named 'nope'.*sock_first/);
  });
});
