#include "common.h"

struct opaque {
	int secret;
};

struct holder {
	struct opaque *p;
	struct table *t;
};

struct {
	__uint(type, 1);
	__uint(max_entries, 8);
	__type(key, range_t);
	__type(value, struct holder);
} map_b SEC(".maps");

struct {
	__uint(type, 1);
	__uint(max_entries, 4);
	__type(key, struct node);
	__type(value, struct table);
} tables_b SEC(".maps");

int counter_b;

/* A definition of what a.bpf.c only declares. */
struct opaque the_opaque;

SEC("tc") int prog_b(struct pong *ctx, struct holder *h)
{
	counter_b += ctx->n + ctx->ping->nodes[1].val + h->p->secret + RED;
	return 0;
}
