// SPDX-License-Identifier: GPL-2.0
/*
 * gcc_simple.bpf.c - a program kept within what GCC's BPF back end (gcc 12)
 * and libbpf 1.1 handle well: no clang-only builtins (CO-RE, BTF tags), no
 * calls to global functions, no map-in-map, and each global the code takes
 * the address of sits at offset 0 of its section (gcc also puts the offset in
 * the ld_imm64 immediate, which libbpf 1.1 would add a second time; see
 * globals.gcc.o).
 *
 * Covers: BTF-defined hash/array/percpu_array/ringbuf maps, .data, .bss,
 * .rodata (plain const), a string literal, static __noinline subprograms
 * (one turned into a ".isra" clone by gcc), an XDP program and a socket
 * filter.
 * Built by both clang (bpfel/bpfeb) and bpf-gcc, so the two compilers'
 * output for the same source can be compared.
 */
#include "bpfkit_helpers.h"

struct pkt_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct pkt_stats);
} by_ifindex SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pkt_stats);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} gcc_events SEC(".maps");

const __u32 min_len = 14;
const char banner[] = "gcc_simple";
__u64 total_packets = 1;
__u32 last_len;

static __noinline __u64 bump(__u32 key, __u64 delta)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &key);

	if (!v)
		return 0;
	*v += delta;
	return *v;
}

/*
 * Static on purpose: gcc 12 + binutils encode calls to a *global* function
 * as imm = (callee byte offset - 1) plus an R_BPF_INSN_DISP32 relocation
 * against the function symbol, which libbpf 1.1 mis-resolves (see
 * subprogs.gcc.o for that case).
 */
static __noinline int classify(__u32 len)
{
	if (len < min_len)
		return 0;
	return len > 1500 ? 2 : 1;
}

SEC("xdp")
int gcc_xdp(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 ifindex = ctx->ingress_ifindex;
	struct pkt_stats *st, fresh = {};
	int cls = classify(len);

	st = bpf_map_lookup_elem(&by_ifindex, &ifindex);
	if (st) {
		st->packets += 1;
		st->bytes += len;
	} else {
		fresh.packets = 1;
		fresh.bytes = len;
		bpf_map_update_elem(&by_ifindex, &ifindex, &fresh, BPF_ANY);
	}
	bump((__u32)cls, 1);
	total_packets += 1;
	last_len = len;
	return cls == 0 ? XDP_DROP : XDP_PASS;
}

SEC("socket")
int gcc_socket(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct pkt_stats *s = bpf_map_lookup_elem(&scratch, &zero);

	if (s) {
		s->packets += 1;
		s->bytes += skb->len;
		bpf_ringbuf_output(&gcc_events, s, sizeof(*s), 0);
	}
	if (skb->len > 9000)
		bpf_trace_printk("big packet %u %s\n",
				 sizeof("big packet %u %s\n"), skb->len,
				 banner);
	bump(3, skb->len);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
