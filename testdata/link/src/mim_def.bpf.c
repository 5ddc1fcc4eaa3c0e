/* A map-in-map with an initial value (a .rel.maps relocation against
 * inner_a), used through an extern declaration in mim_use.bpf.c. */
#include "link.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
};

struct inner inner_a SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner_a },
};

SEC("socket")
int mim_def_prog(void *ctx)
{
	__u32 k = 0;
	void *m = bpf_map_lookup_elem(&outer, &k);
	__u32 *v = m ? bpf_map_lookup_elem(m, &k) : 0;
	return v ? *v : 0;
}

char LICENSE[] SEC("license") = "GPL";
