/* Uses maps defined in extmap_def.bpf.c; the extern declarations list the
 * attributes in another order than the definitions. Linked first, so the
 * definitions come from a later file. */
#include "link.h"

struct val {
	__u64 packets;
	__u64 bytes;
};

extern struct {
	__type(value, struct val);
	__uint(max_entries, 16);
	__type(key, __u32);
	__uint(type, BPF_MAP_TYPE_HASH);
} shared_stats SEC(".maps");

extern struct {
	__uint(max_entries, 8);
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u32);
} shared_cfg SEC(".maps");

/* a map of its own, so .maps has bytes in this file too */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} local_only SEC(".maps");

extern int bump(__u32 key);

SEC("tc")
int use_maps(void *ctx)
{
	__u32 k = 3;
	struct val *v = bpf_map_lookup_elem(&shared_stats, &k);
	__u32 *c = bpf_map_lookup_elem(&shared_cfg, &k);
	__u64 *l = bpf_map_lookup_elem(&local_only, &k);
	if (v)
		v->packets++;
	if (l)
		*l += 1;
	return (c ? *c : 0) + bump(k);
}

char LICENSE[] SEC("license") = "GPL";
