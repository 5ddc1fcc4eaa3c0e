/* See lib1.bpf.c. */
#include "link.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, int);
} lib_state SEC(".maps");

__noinline int lib_scale(int x)
{
	__u32 k = 0;
	int *s = bpf_map_lookup_elem(&lib_state, &k);
	return x * (s ? *s : 2);
}

char LICENSE[] SEC("license") = "GPL";
