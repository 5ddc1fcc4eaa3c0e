// SPDX-License-Identifier: GPL-2.0
/*
 * prog.bpf.c - CO-RE relocations of every kind against the types of
 * kernel.bpf.c (declared here with preserve_access_index and fewer or
 * different members), for the btfgen tests.
 *
 * What each relocation should keep of the target (bpftool's rules):
 *   field reads            the path's structs with only the members taken;
 *                          through the anonymous union/struct to `b`, into
 *                          array elements (hist[1].hits, st.arr[2]), a
 *                          pointer member (parent: kept as `void *`), and
 *                          bitfields (kind, level: kind_flag stays set);
 *   field_exists missing   nothing (knode___new.missing matches no member);
 *   type_exists/size       the type and what it refers to, pointers
 *                          followed (khandler_fn → prototype → struct knode,
 *                          kuint), structs without members;
 *   type_matches kshape    every member, kpoint by value in full, kpoint
 *                          and kopaque behind pointers bare;
 *   enum values            the whole enum (32-bit kstate, 64-bit kbig);
 *   flavors                knode___v2 resolves to knode.id;
 *   type_id_local          nothing.
 */
#include "../src/bpfkit_helpers.h"

#define __pai __attribute__((preserve_access_index))

typedef unsigned int kuint;

struct kopaque;

struct kstats {
	unsigned long long hits;
	unsigned long long misses;
	kuint arr[4];
} __pai;

struct knode;
typedef int (*khandler_fn)(struct knode *n, long arg, const kuint *tag);

enum kstate {
	KS_IDLE = 0,
	KS_RUN = 1,
	KS_DEAD = 7,
};

enum kbig {
	KB_SMALL = 1,
	KB_HUGE = 0xffffffff00000000ULL,
};

struct knode {
	int id;
	unsigned int kind : 5;
	int level : 7;
	struct kstats st;
	int b;
	struct kstats hist[3];
	struct knode *parent;
	enum kstate state;
	char name[16];
	struct {
		short y;
	} pos;
} __pai;

struct knode___v2 {
	int id;
} __pai;

struct knode___new {
	int missing;
} __pai;

struct kpoint {
	int x;
	int y;
	int z;
} __pai;

struct kshape {
	struct kpoint p[2];
	struct kpoint *origin;
	khandler_fn fn;
	kuint tag;
	struct kopaque *priv;
} __pai;

struct klist {
	struct klist *next;
} __pai;

struct results {
	long long v[32];
};

struct results res;

SEC("raw_tp/btfgen_fields")
int btfgen_fields(void *ctx)
{
	struct knode *n = (void *)bpf_get_current_task();
	struct knode___v2 *n2 = (void *)n;
	struct knode___new *nn = (void *)n;

	res.v[0] = BPFKIT_CORE_READ(n, id);
	res.v[1] = BPFKIT_CORE_READ_BITFIELD(n, kind);
	res.v[2] = BPFKIT_CORE_READ_BITFIELD(n, level);
	res.v[3] = bpf_core_field_signed(n->level);
	res.v[4] = BPFKIT_CORE_READ(n, st.misses);
	res.v[5] = BPFKIT_CORE_READ(n, st.arr[2]);
	res.v[6] = BPFKIT_CORE_READ(n, b);
	res.v[7] = BPFKIT_CORE_READ(n, hist[1].hits);
	res.v[8] = (long long)BPFKIT_CORE_READ(n, parent);
	res.v[9] = BPFKIT_CORE_READ(n, state);
	res.v[10] = BPFKIT_CORE_READ(n, name[3]);
	res.v[11] = BPFKIT_CORE_READ(n, pos.y);
	res.v[12] = BPFKIT_CORE_READ(n2, id);
	res.v[13] = bpf_core_field_exists(nn->missing);
	res.v[14] = bpf_core_field_size(n->hist);
	return 0;
}

SEC("raw_tp/btfgen_types")
int btfgen_types(void *ctx)
{
	res.v[16] = bpf_core_type_exists(khandler_fn);
	res.v[17] = bpf_core_type_size(struct kpoint);
	res.v[18] = bpf_core_type_matches(struct kshape);
	res.v[19] = bpf_core_type_id_kernel(struct klist);
	res.v[20] = bpf_core_type_id_local(struct knode);
	res.v[21] = bpf_core_enum_value(enum kstate, KS_DEAD);
	res.v[22] = bpf_core_enum_value_exists(enum kbig, KB_HUGE);
	res.v[23] = bpf_core_enum_value(enum kbig, KB_HUGE);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
