/* Weak and strong definitions, second file (see weak_a.bpf.c). */
#include "link.h"

struct counters {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct counters weak_here SEC(".maps");
struct counters strong_here SEC(".maps") __weak;
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} weak_both SEC(".maps") __weak;

int wvar = 2;
__weak int svar = 20;
__weak __u64 wbss;

__noinline int pick(int x)
{
	return x + 100;
}

extern int strong_fn(int x);
/* declared hidden here only: the output symbol must be hidden */
extern __hidden int hidden_fn(int x);

__noinline int from_b(int x)
{
	return x + 7;
}

SEC("xdp")
int prog_b(void *ctx)
{
	__u32 k = 1;
	__u64 *v = bpf_map_lookup_elem(&weak_here, &k);
	if (v)
		*v += wvar;
	return (strong_fn(svar) + hidden_fn(2) + pick(0)) > 0 ? 2 : 1;
}

char LICENSE[] SEC("license") = "GPL";
