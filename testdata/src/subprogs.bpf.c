// SPDX-License-Identifier: GPL-2.0
/*
 * subprogs.bpf.c - bpf-to-bpf calls.
 *
 * - three programs in the same "socket" section, plus one XDP program;
 * - global (non-static, separately verified) subprograms in .text, one of
 *   them taking the program context;
 * - static __noinline subprograms in .text shared by several programs;
 * - a call chain three deep: global_compute -> step -> mix;
 * - a static callback passed by address to bpf_loop();
 * - bpfkit_printk(): format string in a function-local static (.rodata).
 */
#include "bpfkit_helpers.h"

struct loop_state {
	__u32 acc;
	__u32 limit;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

/* Level 3: static, not inlined. */
static __noinline __u32 mix(__u32 a, __u32 b)
{
	__u32 h = a * 0x9e3779b1u;

	h ^= b + (h << 6) + (h >> 2);
	return h;
}

/* Level 2: static, not inlined, calls level 3. */
static __noinline __u32 step(__u32 x)
{
	return mix(x, x >> 3) + 1;
}

/* Level 1: global function, verified on its own; calls level 2. */
__noinline int global_compute(__u32 x)
{
	return (int)(step(x) & 0xffff);
}

/* Global function taking the program context. */
__noinline int global_skb_len(struct __sk_buff *skb)
{
	if (!skb)
		return 0;
	return (int)skb->len;
}

/* Static subprogram that writes to a map; used by several programs. */
static __noinline void store_result(__u32 slot, __u64 value)
{
	__u32 key = slot & 3;

	bpf_map_update_elem(&results, &key, &value, BPF_ANY);
}

/* bpf_loop callback: return 0 to continue, 1 to stop. */
static int loop_body(__u32 index, void *data)
{
	struct loop_state *st = data;

	st->acc += mix(index, st->acc);
	return index >= st->limit;
}

SEC("socket")
int sock_first(struct __sk_buff *skb)
{
	int v = global_compute(skb->len);

	store_result(0, (__u64)v);
	return 0;
}

SEC("socket")
int sock_second(struct __sk_buff *skb)
{
	int len = global_skb_len(skb);

	store_result(1, (__u64)global_compute((__u32)len) + step(len));
	return len;
}

SEC("socket")
int sock_loop(struct __sk_buff *skb)
{
	struct loop_state st = { .acc = skb->len, .limit = 8 };

	bpf_loop(16, loop_body, &st, 0);
	store_result(2, st.acc);
	if (st.acc == 0x12345678)
		bpfkit_printk("sock_loop acc=%u len=%u\n", st.acc, skb->len);
	return 0;
}

SEC("xdp")
int xdp_calls(struct xdp_md *ctx)
{
	__u32 q = ctx->rx_queue_index;

	store_result(3, (__u64)global_compute(q) ^ mix(q, 7));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
