// SPDX-License-Identifier: GPL-2.0
/*
 * kernel.bpf.c - the "kernel" for the btfgen tests: only its .BTF is used,
 * as the target BTF that `gen min_core_btf` minimizes for prog.bpf.c.
 *
 * The types are shaped to reach every marking rule: members a program does
 * not use (dropped), bitfields (kind_flag kept only when a kept member is a
 * bitfield), anonymous unions and structs on the access path, arrays of
 * structs, const/volatile members, pointers (kept as `void *` unless a
 * type-based relocation follows them), a typedef'd function pointer whose
 * prototype names a struct, 32- and 64-bit enums, a forward declaration,
 * and a struct that is only ever reached bare.
 */
#include "../src/bpfkit_helpers.h"

typedef unsigned int kuint;

struct kopaque;

struct klist {
	struct klist *next;
	struct klist *prev;
};

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

struct kstats {
	unsigned long long hits;
	unsigned long long misses;
	kuint arr[4];
	unsigned long long spare;
};

struct knode {
	int id;
	unsigned int flags : 3;
	unsigned int kind : 5;
	int level : 7;
	const volatile struct kstats st;
	union {
		struct {
			int a;
			int b;
		};
		long ab;
	};
	struct kstats hist[3];
	struct klist link;
	struct knode *parent;
	khandler_fn handler;
	enum kstate state;
	char name[16];
	struct {
		short x;
		short y;
	} pos;
	enum kbig big;
	int unused_tail[2];
};

struct kpoint {
	int x;
	int y;
	int z;
};

struct kshape {
	struct kpoint p[2];
	struct kpoint *origin;
	khandler_fn fn;
	kuint tag;
	struct kopaque *priv;
};

/* For edge.bpf.c: kinds bpftool's min_core_btf refuses to keep when a
 * type-based relocation reaches them (FWD, TYPE_TAG), and one it keeps
 * (RESTRICT). */
typedef struct kopaque *kopaque_p;
typedef int (*kfn_restrict)(char *__restrict p);
typedef int __percpu *kpercpu_p;
struct kholder {
	kopaque_p op;
	kpercpu_p pc;
	int x;
};

/* Globals make clang emit the types into .BTF. */
struct knode g_node;
struct kshape g_shape;
struct klist g_list;
enum kbig g_big;
kfn_restrict g_fn;
struct kholder g_holder;
