import type { TextBuffer } from '../../../internal/text-buffer.js';

/** libbpf indents with one tab per level, at most 13. */
export function indent(out: TextBuffer, lvl: number): void {
  const n = lvl > 13 ? 13 : lvl;
  for (let i = 0; i < n; i++) out.byte(9);
}

/** A newline and the indentation of level lvl, in one append. */
export function newline(out: TextBuffer, lvl: number): void {
  out.nlTabs(lvl > 13 ? 13 : lvl);
}
