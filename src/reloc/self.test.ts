/**
 * Self-relocation: every CO-RE record of every object we have, relocated
 * against the object's own BTF. The local type is always among the
 * candidates, so each relocation must resolve to the value the compiler
 * wrote (the patch step checks the instruction holds it, where libbpf
 * validates), except where flavors of the same type (`x` and `x___y`) are
 * both in the BTF and disagree: libbpf then reports an ambiguity, and so
 * do we.
 */
import { describe, expect, test } from 'vitest';
import { openObjectFile, type BpfObject } from '../object/index.js';
import { allObjects, label, testdataDir } from '../test-support/corpus.js';
import { join } from 'node:path';
import { relocateObject } from './index.js';
import { resolveRelo } from './calc.js';
import { essentialNameLen } from './spec.js';

function open(p: string): BpfObject | undefined {
  try {
    return openObjectFile(p);
  } catch {
    return undefined;
  }
}

const files = [
  ...allObjects(),
  join(testdataDir, 'core', 'local.bpfel.o'),
  join(testdataDir, 'core', 'local.bpfeb.o'),
];

/** Whether the BTF has another type of this kind whose essential name equals this one's. */
function hasFlavorSibling(obj: BpfObject, id: number): boolean {
  const btf = obj.btf!;
  const t = btf.type(id)!;
  const ess = t.name.slice(0, essentialNameLen(t.name));
  for (let i = 1; i < btf.typeCount; i++) {
    if (i === id) continue;
    const u = btf.type(i)!;
    if (u.name !== '' && u.name.slice(0, essentialNameLen(u.name)) === ess) return true;
  }
  return false;
}

describe('self-relocation', () => {
  const totals = { objects: 0, records: 0, exact: 0, ambiguous: 0, el: 0, eb: 0 };

  test.each(files.map((f) => [label(f), f]))('%s', (_name, file) => {
    const obj = open(file);
    if (obj === undefined || obj.btf === undefined || obj.coreRelocationCount === 0) return;
    totals.objects++;
    const { results } = relocateObject(obj, obj.btf, { onError: 'collect' });
    for (const r of results) {
      totals.records++;
      if (obj.littleEndian) totals.el++;
      else totals.eb++;
      if (r.error !== undefined) {
        // only flavor ambiguities are acceptable
        expect(r.error.message, `${r.program} relo #${r.relo}`).toMatch(/ambiguity/);
        expect(hasFlavorSibling(obj, r.typeId)).toBe(true);
        totals.ambiguous++;
        continue;
      }
      expect(r.poisoned, `${r.program} relo #${r.relo} ${r.localSpec}`).toBe(false);
      if (r.kind === 'target_type_id') {
        // the target id is that of whichever candidate matched
        expect(r.value > 0n).toBe(true);
      } else {
        expect(r.value, `${r.program} relo #${r.relo} ${r.localSpec} -> ${r.candidate}`).toBe(r.orig);
      }
      totals.exact++;
    }

    // Against only the local type itself as candidate, nothing may fail.
    const ext = obj.btfExt!;
    for (const sec of ext.coreRelo.sections) {
      for (const rec of sec.records) {
        const cands = rec.kind === 6 ? undefined : [{ btf: obj.btf, id: rec.typeId }];
        const res = resolveRelo(obj.btf, rec.typeId, rec.accessStr, rec.kind, rec.insnOff / 8, cands, obj.littleEndian);
        expect(res.res.poison).toBe(false);
        expect(res.res.newVal, `${sec.secName} ${rec.typeId} ${rec.accessStr} kind ${rec.kind}`).toBe(res.res.origVal);
      }
    }
  });

  test('counts', () => {
    console.log(`self-relocation: ${totals.objects} objects, ${totals.records} relocations (${totals.el} little-endian, ${totals.eb} big-endian): ${totals.exact} exact, ${totals.ambiguous} flavor ambiguities`);
    expect(totals.objects).toBeGreaterThanOrEqual(20);
    expect(totals.el).toBeGreaterThanOrEqual(350);
    expect(totals.eb).toBeGreaterThanOrEqual(350);
    expect(totals.exact).toBeGreaterThanOrEqual(totals.records - totals.ambiguous);
  });
});
