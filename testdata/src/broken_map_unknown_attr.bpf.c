// SPDX-License-Identifier: GPL-2.0
/* Deliberately broken: a .maps definition with an attribute libbpf does not
 * know (`lifetime`). libbpf refuses it; bpfkit must name map and field. */
#include "bpfkit_helpers.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
	__uint(lifetime, 7);
} odd_attr SEC(".maps");

SEC("socket")
int use_odd_attr(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&odd_attr, &key);

	return v ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
