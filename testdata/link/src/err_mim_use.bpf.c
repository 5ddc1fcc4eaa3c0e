/* Error case: declares mim_def's outer map with an inner map of 8 entries
 * (the definition's has 4). */
#include "link.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
};

extern struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps");

SEC("socket")
int err_mim_prog(void *ctx)
{
	__u32 k = 1;
	return bpf_map_lookup_elem(&outer, &k) ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
