// SPDX-License-Identifier: GPL-2.0
/*
 * local.bpf.c - the BPF program's view of the types (CO-RE "local" side).
 * target.bpf.c holds the changed layouts the relocations resolve against.
 * Expected values are written out in src/reloc/pairs.test.ts.
 */
#include "../src/bpfkit_helpers.h"

#define __pai __attribute__((preserve_access_index))

struct point {
	int x;
	int y;
} __pai;

struct rec {
	int id;
	short small;            /* target: int (signed grow: loads poisoned) */
	unsigned short usmall;  /* target: unsigned int (load widened) */
	long removed;           /* missing in the target */
	struct point pt;
	int arr[4];
	struct {
		int inner_a;
		int inner_b;
	};
	char name[8];
	int tail[];             /* flexible array */
} __pai;

/* flavor: the target renamed `id` to `ident` */
struct rec___v2 {
	int ident;
} __pai;

struct bf {
	unsigned int flag : 1;
	unsigned int level : 3;
	int delta : 5;
	unsigned long long wide : 40;
} __pai;

/* no target type has this name */
struct gone {
	int g;
} __pai;

/* two target candidates (amb, amb___a) disagree: ambiguity error */
struct amb {
	int v;
} __pai;

/* two target candidates (same, same___b) agree */
struct same {
	int w;
} __pai;

enum color { RED, GREEN, BLUE, PURPLE };
enum big64 { BIG_A = 0x100000000ULL, BIG_B };

__u64 out[64];

SEC("raw_tp/bpfkit_core_pairs")
int core_pairs(unsigned long long *ctx)
{
	struct rec *r = (struct rec *)ctx[0];
	struct rec___v2 *r2 = (struct rec___v2 *)ctx[0];
	struct bf *b = (struct bf *)ctx[1];

	out[0] = r->id;
	out[1] = r->usmall;
	out[2] = r->pt.y;
	out[3] = r->arr[2];
	out[4] = r->inner_b;
	out[5] = r->name[1];
	out[6] = r->tail[3];
	out[7] = r2->ident;
	out[8] = bpf_core_field_exists(r->removed);
	if (bpf_core_field_exists(r->removed))
		out[9] = r->removed;
	out[10] = r->small;
	out[11] = bpf_core_field_size(r->small);
	out[12] = bpf_core_field_signed(r->small);
	out[13] = bpf_core_field_signed(r->usmall);
	out[14] = bpf_core_field_offset(r->pt);

	out[15] = bpf_core_field_offset(b->level);
	out[16] = bpf_core_field_size(b->level);
	out[17] = bpf_core_field_lshift(b->level);
	out[18] = bpf_core_field_rshift(b->level);
	out[19] = bpf_core_field_offset(b->flag);
	out[20] = bpf_core_field_size(b->flag);
	out[21] = bpf_core_field_lshift(b->flag);
	out[22] = bpf_core_field_rshift(b->flag);
	out[23] = bpf_core_field_offset(b->delta);
	out[24] = bpf_core_field_size(b->delta);
	out[25] = bpf_core_field_lshift(b->delta);
	out[26] = bpf_core_field_rshift(b->delta);
	out[27] = bpf_core_field_signed(b->delta);
	out[28] = bpf_core_field_offset(b->wide);
	out[29] = bpf_core_field_size(b->wide);
	out[30] = bpf_core_field_lshift(b->wide);
	out[31] = bpf_core_field_rshift(b->wide);

	out[32] = bpf_core_type_exists(struct rec);
	out[33] = bpf_core_type_size(struct rec);
	out[34] = bpf_core_type_exists(struct gone);
	out[35] = bpf_core_type_size(struct gone);
	out[36] = bpf_core_type_matches(struct point);
	out[37] = bpf_core_type_matches(struct rec);
	out[38] = bpf_core_type_id_kernel(struct rec);
	out[39] = bpf_core_type_id_local(struct rec);

	out[40] = bpf_core_enum_value_exists(enum color, GREEN);
	out[41] = bpf_core_enum_value(enum color, GREEN);
	out[42] = bpf_core_enum_value_exists(enum color, PURPLE);
	if (bpf_core_enum_value_exists(enum color, PURPLE))
		out[43] = bpf_core_enum_value(enum color, PURPLE);
	out[44] = bpf_core_enum_value(enum big64, BIG_A);
	out[45] = bpf_core_enum_value(enum big64, BIG_B);
	return 0;
}

SEC("raw_tp/bpfkit_core_flavors")
int core_flavors(unsigned long long *ctx)
{
	struct amb *a = (struct amb *)ctx[0];
	struct same *s = (struct same *)ctx[0];

	out[50] = s->w;
	out[51] = a->v;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
