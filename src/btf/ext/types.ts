/**
 * `.BTF.ext` model: per-ELF-section lists of func_info, line_info and
 * CO-RE relocation records. Instruction offsets are in bytes from the start
 * of the ELF section, as clang writes them; names are offsets into the
 * object's `.BTF` string table (resolved to strings when a Btf is given).
 */
export interface ExtSection<R> {
  /** Name of the ELF section the records describe. */
  secName: string;
  secNameOff: number;
  records: R[];
}

export interface FuncInfo {
  insnOff: number;
  typeId: number;
  /** Bytes past the fields we know, when rec_size is larger (kept verbatim). */
  tail?: Uint8Array;
}

export interface LineInfo {
  insnOff: number;
  fileNameOff: number;
  lineOff: number;
  /** line << 10 | column, as stored. */
  lineCol: number;
  fileName: string;
  line: string;
  tail?: Uint8Array;
}

/** CO-RE relocation kinds (enum bpf_core_relo_kind). */
export const enum CoreReloKind {
  FieldByteOffset = 0,
  FieldByteSize = 1,
  FieldExists = 2,
  FieldSigned = 3,
  FieldLshiftU64 = 4,
  FieldRshiftU64 = 5,
  TypeIdLocal = 6,
  TypeIdTarget = 7,
  TypeExists = 8,
  TypeSize = 9,
  EnumvalExists = 10,
  EnumvalValue = 11,
  TypeMatches = 12,
}

export interface CoreRelo {
  insnOff: number;
  typeId: number;
  accessStrOff: number;
  accessStr: string;
  kind: number;
  tail?: Uint8Array;
}

export interface ExtInfo<R> {
  /** rec_size as stored (at least the size of the fields we know). */
  recSize: number;
  sections: ExtSection<R>[];
}

export interface ExtHeader {
  version: number;
  flags: number;
  hdrLen: number;
  funcInfoOff: number;
  funcInfoLen: number;
  lineInfoOff: number;
  lineInfoLen: number;
  /** Present when hdrLen >= 32. */
  coreReloOff?: number;
  coreReloLen?: number;
  /** Header bytes past the fields above, verbatim. */
  extra: Uint8Array;
  /** Bytes after the last sub-section that no header field describes (GCC
   * 12 leaves a lone rec_size there), kept so re-encoding is exact. */
  trailing: Uint8Array;
}

export interface BtfExt {
  littleEndian: boolean;
  header: ExtHeader;
  funcInfo: ExtInfo<FuncInfo>;
  lineInfo: ExtInfo<LineInfo>;
  coreRelo: ExtInfo<CoreRelo>;
}
