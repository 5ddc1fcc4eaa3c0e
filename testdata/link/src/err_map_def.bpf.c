/* Error case: cfg_map has max_entries 16 here, 32 in err_map_use. */
#include "link.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} cfg_map SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
