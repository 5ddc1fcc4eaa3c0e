/* Declares mim_def.bpf.c's map-in-map extern, inner map included. */
#include "link.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
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
int mim_use_prog(void *ctx)
{
	__u32 k = 1;
	void *m = bpf_map_lookup_elem(&outer, &k);
	return m ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
