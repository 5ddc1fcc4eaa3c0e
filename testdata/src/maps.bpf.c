// SPDX-License-Identifier: GPL-2.0
/*
 * maps.bpf.c - BTF-defined maps of many kinds, used by XDP programs and a
 * socket filter.
 *
 * Covers: hash (BPF_F_NO_PREALLOC), array, percpu_array, lru_hash
 * (BPF_F_NO_COMMON_LRU), ringbuf, bloom filter (map_extra), a map with
 * numa_node, a map pinned with LIBBPF_PIN_BY_NAME, a prog_array initialised
 * with `.values`, array_of_maps (initialised with `.values`) and hash_of_maps
 * with inner map templates.
 */
#include "bpfkit_helpers.h"

struct flow_key {
	__u32 ifindex;
	__u16 proto;
	__u16 pad;
};

struct flow_stats {
	__u64 packets;
	__u64 bytes;
	__u64 last_seen_ns;
};

struct event {
	__u32 len;
	__u32 ifindex;
	__u64 ts;
};

/* Plain hash map with dynamic allocation. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} flows SEC(".maps");

/* Array indexed by XDP action. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 5);
	__type(key, __u32);
	__type(value, __u64);
} action_counts SEC(".maps");

/* Per-CPU scratch counters, using key_size/value_size instead of types. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u64));
} percpu_counts SEC(".maps");

/* LRU hash with per-CPU LRU lists. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
} recent_ifindex SEC(".maps");

/* Ring buffer for events to user space. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

/* Bloom filter: no key, map_extra = number of hash functions. */
struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 128);
	__type(value, __u32);
	__uint(map_extra, 3);
} seen_lengths SEC(".maps");

/* Array created on NUMA node 0. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(map_flags, BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
} numa_counter SEC(".maps");

/* Pinned under <pin root>/bpfkit_td_pinned by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} bpfkit_td_pinned SEC(".maps");

/* Inner map template and two concrete inner maps. */
struct inner_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} inner_a SEC(".maps"), inner_b SEC(".maps");

/* Array of maps, slots 0 and 3 pre-populated. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_map);
} outer_array SEC(".maps") = {
	.values = {
		[0] = &inner_a,
		[3] = &inner_b,
	},
};

/* Hash of maps with an anonymous inner map definition. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_HASH);
		__uint(max_entries, 16);
		__type(key, __u32);
		__type(value, __u64);
	});
} outer_hash SEC(".maps");

/* Tail-call targets. */
SEC("xdp")
int xdp_tail_pass(struct xdp_md *ctx)
{
	__u32 key = XDP_PASS;
	__u64 *cnt = bpf_map_lookup_elem(&action_counts, &key);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return XDP_PASS;
}

SEC("xdp")
int xdp_tail_drop(struct xdp_md *ctx)
{
	__u32 key = XDP_DROP;
	__u64 *cnt = bpf_map_lookup_elem(&action_counts, &key);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return XDP_DROP;
}

/* Program array initialised with programs from this object. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int(struct xdp_md *));
} jump_table SEC(".maps") = {
	.values = {
		[0] = (void *)&xdp_tail_pass,
		[2] = (void *)&xdp_tail_drop,
	},
};

SEC("xdp")
int xdp_main(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct flow_key fk = {};
	struct flow_stats *st, init = {};
	__u32 zero = 0, len, ifindex, *inner_val;
	__u64 now = bpf_ktime_get_ns(), *v;
	void *inner;

	if (data + 14 > data_end)
		return XDP_ABORTED;

	len = (__u32)(data_end - data);
	ifindex = ctx->ingress_ifindex;
	fk.ifindex = ifindex;
	fk.proto = *(__u16 *)(data + 12);

	st = bpf_map_lookup_elem(&flows, &fk);
	if (st) {
		__sync_fetch_and_add(&st->packets, 1);
		__sync_fetch_and_add(&st->bytes, len);
		st->last_seen_ns = now;
	} else {
		init.packets = 1;
		init.bytes = len;
		init.last_seen_ns = now;
		bpf_map_update_elem(&flows, &fk, &init, BPF_NOEXIST);
	}

	bpf_map_update_elem(&recent_ifindex, &ifindex, &now, BPF_ANY);

	v = bpf_map_lookup_elem(&numa_counter, &zero);
	if (v)
		__sync_fetch_and_add(v, 1);

	v = bpf_map_lookup_elem(&bpfkit_td_pinned, &zero);
	if (v)
		__sync_fetch_and_add(v, len);

	/* Bloom filter: peek tests membership, push adds. */
	if (bpf_map_peek_elem(&seen_lengths, &len) != 0)
		bpf_map_push_elem(&seen_lengths, &len, BPF_ANY);

	inner = bpf_map_lookup_elem(&outer_array, &zero);
	if (inner) {
		inner_val = bpf_map_lookup_elem(inner, &zero);
		if (inner_val)
			*inner_val = len;
	}

	inner = bpf_map_lookup_elem(&outer_hash, &ifindex);
	if (inner) {
		v = bpf_map_lookup_elem(inner, &zero);
		if (v)
			__sync_fetch_and_add(v, 1);
	}

	/* Even lengths go to slot 0 (pass), odd ones to slot 2 (drop). */
	bpf_tail_call(ctx, &jump_table, (len & 1) ? 2 : 0);
	return XDP_PASS;
}

SEC("socket")
int socket_filter(struct __sk_buff *skb)
{
	struct event ev = {};
	__u32 key = 1;
	__u64 *cnt;

	cnt = bpf_map_lookup_elem(&percpu_counts, &key);
	if (cnt)
		*cnt += skb->len;

	ev.len = skb->len;
	ev.ifindex = skb->ifindex;
	ev.ts = bpf_ktime_get_ns();
	bpf_ringbuf_output(&events, &ev, sizeof(ev), 0);

	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
