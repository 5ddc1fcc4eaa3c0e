/**
 * BPF opcode constants and the helpers that split an opcode byte into its
 * fields (RFC 9669 §3 and the Linux extensions).
 *
 * The opcode byte is read three ways depending on its class:
 *
 *   arithmetic and jump classes   | op (4 bits) | source (1) | class (3) |
 *   load and store classes        | mode (3)    | size (2)   | class (3) |
 */

// Instruction classes (low three bits).
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_JMP32 = 0x06;
export const BPF_ALU64 = 0x07;

// Source bit of arithmetic and jump instructions.
export const BPF_K = 0x00;
export const BPF_X = 0x08;
/** For BPF_END in the ALU class the source bit picks the byte order. */
export const BPF_TO_LE = 0x00;
export const BPF_TO_BE = 0x08;

// Arithmetic operations (high four bits).
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;
export const BPF_MOV = 0xb0;
export const BPF_ARSH = 0xc0;
export const BPF_END = 0xd0;

// Jump operations (high four bits).
export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;
export const BPF_JNE = 0x50;
export const BPF_JSGT = 0x60;
export const BPF_JSGE = 0x70;
export const BPF_CALL = 0x80;
export const BPF_EXIT = 0x90;
export const BPF_JLT = 0xa0;
export const BPF_JLE = 0xb0;
export const BPF_JSLT = 0xc0;
export const BPF_JSLE = 0xd0;
/** Linux: conditional pseudo jump; with src 0 it is `may_goto`. */
export const BPF_JCOND = 0xe0;

// Load/store sizes (bits 3-4).
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;
export const BPF_DW = 0x18;

// Load/store modes (high three bits).
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_MEMSX = 0x80;
export const BPF_ATOMIC = 0xc0;

// Atomic operations (the imm field of BPF_STX | BPF_ATOMIC).
export const BPF_FETCH = 0x01;
export const BPF_XCHG = 0xe0 | BPF_FETCH;
export const BPF_CMPXCHG = 0xf0 | BPF_FETCH;
/** Linux 6.15 (LLVM 20): load-acquire and store-release. */
export const BPF_LOAD_ACQ = 0x100;
export const BPF_STORE_REL = 0x110;

// Sources of `ld_imm64` (BPF_LD | BPF_IMM | BPF_DW): what imm64 means.
/** A plain 64-bit constant. */
export const BPF_PSEUDO_NONE = 0;
/** imm is a map file descriptor. */
export const BPF_PSEUDO_MAP_FD = 1;
/** imm is a map fd, the second imm an offset into the map's value. */
export const BPF_PSEUDO_MAP_VALUE = 2;
/** imm is a BTF id of a kernel variable (ksym). */
export const BPF_PSEUDO_BTF_ID = 3;
/** imm is the instruction offset of a BPF function (a callback). */
export const BPF_PSEUDO_FUNC = 4;
/** imm is an index into the fd array instead of an fd. */
export const BPF_PSEUDO_MAP_IDX = 5;
/** imm is an index into the fd array, the second imm a value offset. */
export const BPF_PSEUDO_MAP_IDX_VALUE = 6;

// Sources of `call` (BPF_JMP | BPF_CALL | BPF_K).
/** imm is a helper function id. */
export const BPF_PSEUDO_HELPER_CALL = 0;
/** imm is the offset in instructions of a local function (bpf-to-bpf call). */
export const BPF_PSEUDO_CALL = 1;
/** imm is the BTF id of a kernel function, off an fd-array index of its module BTF. */
export const BPF_PSEUDO_KFUNC_CALL = 2;

/** Sources of BPF_JMP | BPF_JCOND. */
export const BPF_MAY_GOTO = 0;

/** The opcode of the 16-byte `ld_imm64` instruction. */
export const LD_IMM64 = BPF_LD | BPF_IMM | BPF_DW; // 0x18

/** Bytes in one instruction slot. */
export const INSN_SIZE = 8;

/** The class of an opcode (BPF_LD ... BPF_ALU64). */
export function insnClass(code: number): number {
  return code & 0x07;
}

/** Arithmetic/jump operation (BPF_ADD..., BPF_JA...): the high four bits. */
export function insnOp(code: number): number {
  return code & 0xf0;
}

/** Arithmetic/jump source bit: BPF_K (immediate) or BPF_X (register). */
export function insnSource(code: number): number {
  return code & 0x08;
}

/** Load/store mode (BPF_IMM, BPF_ABS, BPF_IND, BPF_MEM, BPF_MEMSX, BPF_ATOMIC). */
export function insnMode(code: number): number {
  return code & 0xe0;
}

/** Load/store size field (BPF_W, BPF_H, BPF_B, BPF_DW). */
export function insnSizeField(code: number): number {
  return code & 0x18;
}

/** Bytes moved by a load/store of this opcode: 1, 2, 4 or 8. */
export function accessBytes(code: number): 1 | 2 | 4 | 8 {
  switch (code & 0x18) {
    case BPF_B:
      return 1;
    case BPF_H:
      return 2;
    case BPF_W:
      return 4;
    default:
      return 8;
  }
}

/** Whether the class is one of the arithmetic classes. */
export function isAluClass(cls: number): boolean {
  return cls === BPF_ALU || cls === BPF_ALU64;
}

/** Whether the class is one of the jump classes. */
export function isJmpClass(cls: number): boolean {
  return cls === BPF_JMP || cls === BPF_JMP32;
}

/** Whether the class is a load/store class. */
export function isMemClass(cls: number): boolean {
  return cls <= BPF_STX;
}
