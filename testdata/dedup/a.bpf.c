#include "common.h"

/* Only a forward declaration here; b.bpf.c defines it. */
struct opaque;

struct holder {
	struct opaque *p;
	struct table *t;
};

struct {
	__uint(type, 1);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, struct holder);
} map_a SEC(".maps");

struct {
	__uint(type, 1);
	__uint(max_entries, 4);
	__type(key, struct node);
	__type(value, struct table);
} tables_a SEC(".maps");

int counter_a;

SEC("xdp") int prog_a(struct ping *ctx, struct pong *pong)
{
	struct holder h = {};
	counter_a += ctx->nodes[0].val + pong->n + ctx->pong->n + (h.t ? h.t->range.lo : 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
