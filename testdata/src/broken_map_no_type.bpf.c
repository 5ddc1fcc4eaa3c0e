// SPDX-License-Identifier: GPL-2.0
/* Deliberately broken: a BTF-defined map without __uint(type, ...).
 * libbpf refuses to open it; bpfkit must name the map. */
#include "bpfkit_helpers.h"

struct {
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} typeless SEC(".maps");

SEC("socket")
int use_typeless(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&typeless, &key);

	return v ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
