import { Kind } from '../../kinds.js';
import { emitTypeDecl } from './decl.js';
import type { DumpState } from './state.js';

/**
 * The kfunc prototype block newer bpftool (7.5 on) appends to a full C dump:
 * one `extern` declaration per kernel function tagged `bpf_kfunc` (a
 * DECL_TAG on the FUNC itself, which pahole emits for kfuncs), sorted by
 * name, `__bpf_fastcall` where the function also carries that tag, so BPF
 * programs can call kfuncs with only vmlinux.h. The block is skipped by
 * compiling with -DBPF_NO_KFUNC_PROTOTYPES.
 */
export const KFUNC_PRELUDE =
  '#ifndef __ksym\n#define __ksym __attribute__((section(".ksyms")))\n#endif\n\n' +
  '#ifndef __weak\n#define __weak __attribute__((weak))\n#endif\n\n' +
  '#ifndef __bpf_fastcall\n#if __has_attribute(bpf_fastcall)\n#define __bpf_fastcall __attribute__((bpf_fastcall))\n#else\n#define __bpf_fastcall\n#endif\n#endif\n\n';

const KFUNC_TAG = 'bpf_kfunc';
const FASTCALL_TAG = 'bpf_fastcall';

/** FUNC ids tagged `bpf_kfunc`, sorted by name (ties by tag order), and
 * those tagged `bpf_fastcall`. */
export function taggedKfuncs(d: DumpState): { kfuncs: number[]; fastcalls: Set<number> } {
  const t = d.t;
  const found: number[] = [];
  const fastcalls = new Set<number>();
  for (let id = 1; id < t.count; id++) {
    if (t.kind[id] !== Kind.DeclTag) continue;
    if (t.i32(id, 12) !== -1) continue; // tags a parameter or member, not the function
    const fn = t.sotOf(id);
    if (fn >= t.count || t.kind[fn] !== Kind.Func) continue;
    const tag = t.nameOffOf(id);
    if (t.strEquals(tag, KFUNC_TAG)) found.push(fn);
    if (t.strEquals(tag, FASTCALL_TAG)) fastcalls.add(fn);
  }
  const names = new Map<number, string>();
  for (const fn of found) names.set(fn, t.str(t.nameOffOf(fn)));
  const order = found.map((fn, i) => ({ fn, i }));
  order.sort((a, b) => {
    const na = names.get(a.fn)!;
    const nb = names.get(b.fn)!;
    return na < nb ? -1 : na > nb ? 1 : a.i - b.i;
  });
  return { kfuncs: order.map((o) => o.fn), fastcalls };
}

export function emitKfuncBlock(d: DumpState): void {
  const t = d.t;
  const { kfuncs, fastcalls } = taggedKfuncs(d);
  d.out.str('\n/* BPF kfuncs */\n#ifndef BPF_NO_KFUNC_PROTOTYPES\n');
  for (const fn of kfuncs) {
    d.out.str(fastcalls.has(fn) ? 'extern __bpf_fastcall ' : 'extern ');
    emitTypeDecl(d, t.sotOf(fn), t.nameOffOf(fn), 0);
    d.out.str(' __weak __ksym;\n');
  }
  d.out.str('#endif\n\n');
}
