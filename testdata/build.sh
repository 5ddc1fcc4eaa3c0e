#!/usr/bin/env bash
# Rebuild bpfkit's BPF test objects from testdata/src into testdata/obj.
#
#   testdata/build.sh            build everything
#   CLANG=clang-19 BPF_GCC=bpf-gcc testdata/build.sh
#   SKIP_GCC=1 testdata/build.sh  clang objects only
#
# Output: obj/<name>.bpfel.o and obj/<name>.bpfeb.o (clang), and
# obj/<name>.gcc.o (GCC's BPF back end, little-endian) for the GCC subset.
#
# The objects are committed. They are byte-for-byte reproducible with the
# same compiler versions (see README.md): every compile runs inside src/ with
# relative file names, and the source directory is mapped to "." so no
# absolute path reaches DWARF, BTF or the symbol table.
set -euo pipefail

CLANG="${CLANG:-clang-19}"
BPF_GCC="${BPF_GCC:-bpf-gcc}"
SKIP_GCC="${SKIP_GCC:-0}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"
obj="$here/obj"

# Programs built by clang, for both byte orders.
CLANG_PROGS=(maps globals subprogs core bitfields externs kfuncs gcc_simple broken_map_no_type broken_map_unknown_attr)
# Programs also built by GCC (little-endian only).
GCC_PROGS=(gcc_simple maps globals subprogs)

CLANG_FLAGS=(
	-g -O2 -mcpu=v3
	-nostdinc
	-Wall -Wextra -Wno-unused-parameter
	-ffile-prefix-map="$src"=.
	-fdebug-prefix-map="$src"=.
	-fdebug-compilation-dir=.
)
GCC_FLAGS=(
	-O2 -gbtf -mcpu=v3
	-Wall
)

command -v "$CLANG" >/dev/null || { echo "build.sh: $CLANG not found" >&2; exit 1; }

mkdir -p "$obj"
cd "$src"

echo "using $("$CLANG" --version | head -n1)"
for name in "${CLANG_PROGS[@]}"; do
	for target in bpfel bpfeb; do
		out="$obj/$name.$target.o"
		echo "  CLANG  $name.bpf.c -> obj/$name.$target.o"
		"$CLANG" "${CLANG_FLAGS[@]}" -target "$target" \
			-c "$name.bpf.c" -o "$out"
	done
done

if [[ "$SKIP_GCC" == "1" ]]; then
	echo "skipping GCC objects (SKIP_GCC=1)"
	exit 0
fi
command -v "$BPF_GCC" >/dev/null || { echo "build.sh: $BPF_GCC not found (set SKIP_GCC=1 to skip)" >&2; exit 1; }

# gcc 12 orders some BTF entries (VARs) by hashing heap addresses, so its
# output changes with address-space randomisation. Run it with ASLR off and
# the default stack limit (which decides the mmap layout) to make it stable.
norandom=()
if setarch "$(uname -m)" -R true 2>/dev/null; then
	norandom=(setarch "$(uname -m)" -R)
else
	echo "build.sh: warning: cannot disable ASLR; .gcc.o files may not be reproducible" >&2
fi
run_gcc() {
	(ulimit -s 8192 2>/dev/null || true; "${norandom[@]}" "$BPF_GCC" "$@")
}

echo "using $("$BPF_GCC" --version | head -n1)"
for name in "${GCC_PROGS[@]}"; do
	out="$obj/$name.gcc.o"
	echo "  GCC    $name.bpf.c -> obj/$name.gcc.o"
	# gcc 12 writes "<working dir>/<file>" into the BTF string table and
	# ignores -f*-prefix-map for it. Preprocess separately and rewrite the
	# working-directory line marker to "." so the name becomes
	# "./<name>.bpf.c", matching clang's objects.
	run_gcc -E -g -fworking-directory -nostdinc "$name.bpf.c" |
		sed '2s|^# 1 ".*//"$|# 1 ".//"|' |
		run_gcc "${GCC_FLAGS[@]}" -x cpp-output -fpreprocessed \
			-fworking-directory -c - -o "$out"
done

echo "done: $(ls "$obj"/*.o | wc -l) objects in testdata/obj"
