import type { DumpState } from './state.js';
import { newline } from './indent.js';

/**
 * Explicit padding between struct members (libbpf 1.1's padding rules):
 * fill a gap with anonymous bitfields of the widest type (long, int, short,
 * char) that can reach an aligned boundary, adding a `<type>: 0;` marker
 * when the compiler would not align there on its own.
 */

/** C's integer division (truncates toward zero). */
function cdiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

function roundup(x: number, y: number): number {
  return cdiv(x + y - 1, y) * y;
}

const NAMES = ['long', 'int', 'short', 'char'];

export function emitBitPadding(d: DumpState, curOff: number, nextOff: number, nextAlign: number, inBitfield: boolean, lvl: number): void {
  if (curOff >= nextOff) return;
  const out = d.out;
  const bitsOf = [d.ptrSize * 8, 32, 16, 8];
  let newOff = 0;
  let padBits = 0;
  let padType = '';
  for (let i = 0; i < 4; i++) {
    padBits = bitsOf[i];
    padType = NAMES[i];
    newOff = roundup(curOff, padBits);
    if (newOff <= nextOff) break;
  }
  if (newOff > curOff && newOff <= nextOff) {
    if (
      inBitfield ||
      (newOff === nextOff && roundup(curOff, nextAlign * 8) !== newOff) ||
      (newOff !== nextOff && nextOff - newOff <= newOff - curOff)
    ) {
      newline(out, lvl);
      out.str(padType).str(': ').int(inBitfield ? newOff - curOff : 0).byte(59);
    }
    curOff = newOff;
  }
  while (curOff !== nextOff) {
    const bits = Math.min(nextOff - curOff, padBits);
    if (bits === padBits) {
      newline(out, lvl);
      out.str(padType).str(': ').int(padBits).byte(59);
      curOff += bits;
      continue;
    }
    // The remainder: the smallest type that holds it.
    for (let i = 3; i >= 0; i--) {
      padType = NAMES[i];
      padBits = bitsOf[i];
      if (padBits < bits) continue;
      newline(out, lvl);
      out.str(padType).str(': ').int(bits).byte(59);
      curOff += bits;
      break;
    }
  }
}
