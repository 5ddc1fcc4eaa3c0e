import { STB_WEAK, STT_FUNC, STT_OBJECT } from '../elf/index.js';
import type { LinkState } from './model.js';

export interface LinkSummary {
  output: string | null;
  inputs: string[];
  bytes: number;
  sections: { name: string; size: number; align: number }[];
  /** Resolved globals: name, kind, binding, defining file. */
  globals: { name: string; kind: 'function' | 'variable' | 'other'; weak: boolean; definedIn: string | null }[];
  /** Externs left for a later link step (or for libbpf: kconfig, ksyms). */
  unresolved: string[];
  btfTypes: number;
}

export function summarizeLink(state: LinkState, output: string | undefined, bytes: number, btfTypes: number): LinkSummary {
  const globals = [...state.globals.values()];
  return {
    output: output ?? null,
    inputs: [...state.inputs],
    bytes,
    sections: state.sections.filter((s) => !s.ephemeral && !s.isRel).map((s) => ({ name: s.name, size: s.size, align: s.align })),
    globals: globals
      .filter((g) => !g.isExtern)
      .map((g) => ({
        name: g.name,
        kind: g.sym.type === STT_FUNC ? 'function' : g.sym.type === STT_OBJECT ? 'variable' : 'other',
        weak: g.sym.bind === STB_WEAK,
        definedIn: g.file,
      })),
    unresolved: globals.filter((g) => g.isExtern).map((g) => g.name),
    btfTypes,
  };
}
