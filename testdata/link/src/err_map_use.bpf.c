/* Error case: see err_map_def.bpf.c. */
#include "link.h"

extern struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} cfg_map SEC(".maps");

SEC("socket")
int map_use_prog(void *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&cfg_map, &k);
	return v ? (int)*v : 0;
}

char LICENSE[] SEC("license") = "GPL";
