/* Defines the maps extmap_use.bpf.c declares extern. */
#include "link.h"

struct val {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct val);
} shared_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} shared_cfg SEC(".maps");

__noinline int bump(__u32 key)
{
	struct val zero = {};
	struct val *v = bpf_map_lookup_elem(&shared_stats, &key);
	if (!v) {
		bpf_map_update_elem(&shared_stats, &key, &zero, 0);
		return 0;
	}
	v->bytes += 64;
	return 1;
}

SEC("socket")
int def_prog(void *ctx)
{
	__u32 k = 0;
	__u32 *c = bpf_map_lookup_elem(&shared_cfg, &k);
	return c ? *c : bump(k);
}

char LICENSE[] SEC("license") = "GPL";
