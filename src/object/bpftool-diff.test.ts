/**
 * Differential test against libbpf (through bpftool 7.1): for every object
 * bpftool can open, the programs and maps `bpftool gen skeleton` lists are
 * the programs and maps bpfkit finds; and for every object, each program
 * libbpf's debug log reports ("found program 'X' at insn offset N ... code
 * size M insns") is one bpfkit reports at the same place and size.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { allObjects, label, which } from '../test-support/corpus.js';
import { openObjectFile, type BpfObject } from './index.js';

const bpftool = which('bpftool');
if (bpftool === undefined) console.warn('SKIP object differential tests: bpftool is not installed');

/** bpftool's skeleton field names: map/program names with every character
 * that is not alphanumeric turned into '_', a leading '.' dropped. */
function ident(name: string): string {
  return name.replace(/^\./, '').replace(/[^A-Za-z0-9_]/g, '_');
}

function skeletonSets(stdout: string): { maps: string[]; progs: string[] } {
  const block = (what: string): string[] => {
    const m = stdout.match(new RegExp(`struct \\{\\n((?:\\t\\tstruct ${what} \\*\\w+;\\n)*)\\t\\} ${what === 'bpf_map' ? 'maps' : 'progs'};`));
    if (m === null) return [];
    return [...m[1].matchAll(/\*(\w+);/g)].map((x) => x[1]).sort();
  };
  return { maps: block('bpf_map'), progs: block('bpf_program') };
}

function foundPrograms(stderr: string): { section: string; name: string; offset: number; count: number }[] {
  return [...stderr.matchAll(/libbpf: sec '([^']*)': found program '([^']*)' at insn offset (\d+) \(\d+ bytes\), code size (\d+) insns/g)].map((m) => ({
    section: m[1],
    name: m[2],
    offset: Number(m[3]),
    count: Number(m[4]),
  }));
}

/** Maps as bpftool 7.1 lists them. Its libbpf (1.1) predates
 * `.struct_ops.link` (libbpf 1.2) and skips that section, so the struct_ops
 * maps declared there are left out of its skeleton; bpfkit reports them. */
function ourMapIdents(o: BpfObject): string[] {
  return o.maps
    .filter((m) => m.section !== '.struct_ops.link')
    .map((m) => ident(m.name))
    .sort();
}

describe.skipIf(bpftool === undefined)('object model matches libbpf (bpftool 7.1)', () => {
  const tally = { skeletons: 0, refusedByLibbpf: 0, refusedByBoth: 0, programsChecked: 0 };
  for (const f of allObjects()) {
    it(label(f), () => {
      const r = spawnSync(bpftool!, ['-d', 'gen', 'skeleton', f, 'name', 'x'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      let ours: BpfObject | undefined;
      let ourError: unknown;
      try {
        ours = openObjectFile(f);
      } catch (e) {
        ourError = e;
      }
      // Every program libbpf reported finding, before any failure, is ours too.
      for (const p of foundPrograms(r.stderr)) {
        if (ours === undefined) break;
        const mine = ours.programs.find((q) => q.name === p.name) ?? ours.subprograms.find((q) => q.name === p.name);
        expect(mine, `libbpf found program ${p.name}`).toBeDefined();
        const section = 'section' in mine! ? mine!.section : '';
        expect(section === p.section || section === p.section.replace(/^\?/, '')).toBe(true);
        expect(mine!.insnOffset).toBe(p.offset);
        expect(mine!.insnCount).toBe(p.count);
        tally.programsChecked++;
      }
      if (r.status === 0) {
        tally.skeletons++;
        // libbpf opened it; bpfkit must too (except where bpfkit is stricter
        // on purpose: initial bytes in a BTF map definition).
        if (ourError !== undefined) {
          expect(String(ourError)).toMatch(/holds initial data/);
          return;
        }
        const sk = skeletonSets(r.stdout);
        expect(ours!.programs.map((p) => p.name).sort()).toEqual(sk.progs);
        expect(ourMapIdents(ours!)).toEqual(sk.maps);
      } else if (ourError !== undefined) {
        tally.refusedByBoth++;
      } else {
        tally.refusedByLibbpf++;
      }
    });
  }
  it('compared enough', () => {
    console.log(`object differential: ${tally.skeletons} skeletons compared, ${tally.programsChecked} programs checked against libbpf's log, ${tally.refusedByLibbpf} objects only libbpf 1.1 refuses (legacy maps, newer features), ${tally.refusedByBoth} refused by both`);
    expect(tally.skeletons).toBeGreaterThan(40);
    expect(tally.programsChecked).toBeGreaterThan(100);
  });
});
