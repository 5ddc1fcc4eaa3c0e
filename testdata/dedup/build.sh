#!/bin/sh
# Rebuild the dedup test objects (committed, so tests need no compiler).
# Two objects sharing common.h: the pair test links them with
# `bpftool gen object ab.o a.o b.o` and compares the .BTF with ours.
set -eu
cd "$(dirname "$0")"
for p in a b; do
	clang-19 -g -O2 -target bpfel -c "$p.bpf.c" -o "$p.bpfel.o"
done
