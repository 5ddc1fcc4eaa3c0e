#!/usr/bin/env bash
# Sanity-check the objects in testdata/obj with the reference tools:
#   - llvm-objdump -d disassembles every object,
#   - bpftool btf dump parses every object's .BTF,
#   - (root + bpffs at /sys/fs/bpf only) bpftool prog loadall loads each
#     little-endian object into the running kernel; pins are removed again.
#
#   testdata/verify.sh            check everything
#   NO_LOAD=1 testdata/verify.sh  skip the kernel load step
#
# Prints one line per object and exits non-zero if a disassembly or BTF dump
# fails. Load failures are reported but do not fail the script: some objects
# need kernel features or symbols (see README.md).
set -euo pipefail

OBJDUMP="${OBJDUMP:-llvm-objdump-19}"
BPFTOOL="${BPFTOOL:-bpftool}"
NO_LOAD="${NO_LOAD:-0}"
PIN_ROOT=/sys/fs/bpf

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
obj="$here/obj"

can_load=0
if [[ "$NO_LOAD" != "1" && "$(id -u)" == "0" ]] &&
	[[ "$(stat -f -c %T "$PIN_ROOT" 2>/dev/null || true)" == "bpf_fs" ]]; then
	can_load=1
fi
[[ "$can_load" == "1" ]] || echo "(not loading into the kernel: needs root and bpffs at $PIN_ROOT)"

# Maps pinned by name by maps.*.o (LIBBPF_PIN_BY_NAME) land directly in the
# pin root; remove them before and after each load.
by_name_pins=(bpfkit_td_pinned)

cleanup_pins() {
	local dir="$1"
	rm -rf "$dir"
	for p in "${by_name_pins[@]}"; do rm -f "$PIN_ROOT/$p"; done
}

failed=0
for f in "$obj"/*.o; do
	base="$(basename "$f" .o)"
	status=()

	if "$OBJDUMP" -d "$f" >/dev/null 2>&1; then status+=("objdump:ok"); else status+=("objdump:FAIL"); failed=1; fi
	if "$BPFTOOL" btf dump file "$f" >/dev/null 2>&1; then status+=("btf:ok"); else status+=("btf:FAIL"); failed=1; fi

	if [[ "$can_load" == "1" && "$base" != *.bpfeb ]]; then
		pin="$PIN_ROOT/bpfkit_td_${base//./_}"
		cleanup_pins "$pin"
		if log="$("$BPFTOOL" prog loadall "$f" "$pin" 2>&1)"; then
			status+=("load:ok")
		else
			reason="$(printf '%s\n' "$log" | grep -vE '^libbpf: elf:|BTF loading error|BTF is optional' | grep -E 'failed|error|not resolved|invalid|Error' | head -n1 || true)"
			status+=("load:FAIL(${reason:-see bpftool -d})")
		fi
		cleanup_pins "$pin"
	fi

	printf '%-26s %s\n' "$base.o" "${status[*]}"
done

exit "$failed"
