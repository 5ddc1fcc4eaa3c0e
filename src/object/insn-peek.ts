/**
 * The few instruction fields the object model needs (opcode, source
 * register, immediate) read straight from section bytes. The regs byte is
 * `src<<4 | dst` in little-endian objects and `dst<<4 | src` in big-endian
 * ones.
 */
export const OP_CALL = 0x85;
export const OP_LD_IMM64 = 0x18;
export const PSEUDO_CALL = 1;
export const PSEUDO_KFUNC_CALL = 2;

export class InsnPeek {
  private readonly view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly le: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get count(): number {
    return Math.floor(this.bytes.byteLength / 8);
  }

  code(i: number): number {
    return this.bytes[i * 8];
  }

  src(i: number): number {
    const r = this.bytes[i * 8 + 1];
    return this.le ? r >> 4 : r & 0x0f;
  }

  dst(i: number): number {
    const r = this.bytes[i * 8 + 1];
    return this.le ? r & 0x0f : r >> 4;
  }

  off(i: number): number {
    return this.view.getInt16(i * 8 + 2, this.le);
  }

  imm(i: number): number {
    return this.view.getInt32(i * 8 + 4, this.le);
  }

  isPseudoCall(i: number): boolean {
    return this.code(i) === OP_CALL && this.src(i) === PSEUDO_CALL;
  }
}
