// SPDX-License-Identifier: GPL-2.0
/*
 * target.bpf.c - the "kernel" side for local.bpf.c: changed layouts of the
 * same types. Only its BTF is used (as the relocation target).
 * Offsets (x86-64/bpf ABI, 8-byte long) are noted for the tests.
 */
#include "../src/bpfkit_helpers.h"

struct point {          /* size 16 */
	int y;          /* 0 */
	int x;          /* 4 */
	long z;         /* 8 */
};

struct rec {                    /* size 88 */
	long long pad0;         /* 0 */
	struct point pt;        /* 8 */
	int small;              /* 24 */
	unsigned int usmall;    /* 28 */
	int ident;              /* 32 */
	int id;                 /* 36 */
	int arr[8];             /* 40 */
	union {                 /* 72 */
		struct {
			int inner_b; /* 72 */
			int inner_a; /* 76 */
		};
		long both;
	};
	char name[8];           /* 80 */
	int tail[];             /* 88 */
};

/* packed: bit offsets pad 0-5, level 6-10, flag 11, delta 12-16, wide 17-56 */
struct bf {
	unsigned char pad : 6;
	unsigned char level : 5;
	unsigned char flag : 1;
	int delta : 5;
	unsigned long long wide : 40;
} __attribute__((packed));

struct amb {
	int v;          /* 0 */
};

struct amb___a {
	long pad;
	int v;          /* 8 */
};

struct same {
	long pad;
	int w;          /* 8 */
};

struct same___b {
	int pad[2];
	int w;          /* 8 */
};

enum color { BLUE = 10, RED = 20, GREEN = 30 };
enum big64 { BIG_B = 0x300000000ULL, BIG_A = 5 };

struct rec g_rec;
struct bf g_bf;
struct amb g_amb;
struct amb___a g_amb_a;
struct same g_same;
struct same___b g_same_b;
enum color g_color;
enum big64 g_big64;

SEC("raw_tp/bpfkit_core_target")
int core_target(void *ctx)
{
	return g_color;
}

char LICENSE[] SEC("license") = "GPL";
