// SPDX-License-Identifier: GPL-2.0
/*
 * values.bpf.c - globals with known initial values, for the BTF -> TypeScript
 * codec tests (src/btf/dump/ts/codec.test.ts).
 *
 * Every global below is initialised, so its bytes, as clang lays them out
 * for the target, are in the object's .data. The test decodes those bytes
 * with the generated codec and compares the result with the values written
 * here (copied into the test by hand), then encodes the values and compares
 * with the bytes. Built for bpfel and bpfeb (build.sh).
 *
 * Self-contained: no system or kernel headers (-nostdinc).
 */
typedef unsigned char __u8;
typedef signed char __s8;
typedef unsigned short __u16;
typedef short __s16;
typedef unsigned int __u32;
typedef int __s32;
typedef unsigned long long __u64;
typedef long long __s64;

#define SEC(name) __attribute__((section(name), used))

enum color { RED = 1, GREEN = 2, BLUE = 0x7fffffff };
enum sign { NEG = -5, POS = 5 };
enum big64 { BIG_A = 0x123456789abcdef0ULL, BIG_MAX = 0xffffffffffffffffULL };

/* Bitfields: odd widths, signed, a zero-width field, _Bool and enum ones. */
struct bits {
	unsigned int a : 3;
	unsigned int b : 5;
	signed int c : 7;
	unsigned int d : 17;
	unsigned char g : 1;
	unsigned char : 0;
	unsigned char h : 2;
	signed char i : 3;
	_Bool flag : 1;
	enum sign kind : 4;
	__u16 j;
};

/* 64-bit bitfields, crossing 32-bit and byte boundaries. */
struct bits64 {
	__u8 pre;
	unsigned long long x : 40;
	signed long long y : 13;
	unsigned long long z : 3;
	unsigned long long w : 33;
	signed long long sw : 31;
};

struct __attribute__((packed)) packed {
	__u8 tag;
	__u32 len;
	__u16 port;
	__u64 cookie;
	__s8 neg;
};

/* Packed bitfields straddle bytes and storage units. */
struct __attribute__((packed)) packed_bits {
	__u8 ver : 4;
	__u8 ihl : 4;
	__u16 frag : 13;
	__u32 wide : 27;
	__s32 swide : 19;
	__u8 tail;
};

/* Anonymous union with an anonymous struct of bitfields in it. */
struct flags {
	union {
		__u32 word;
		struct {
			__u32 lo12 : 12;
			__u32 mid : 8;
			__s32 hi : 12;
		};
	};
	__u32 after;
};

struct nested {
	__u32 id;
	union {
		__u32 raw;
		struct {
			__u16 lo;
			__u16 hi;
		};
	};
	struct {
		__u64 start;
		union {
			__u64 end;
			__s64 delta;
		};
	} range;
	union {
		__u8 b[8];
		__u64 q;
	} u;
};

struct pt {
	__s32 x, y;
};

struct arrays {
	__u8 u8s[5];
	__u16 u16s[3];
	__u32 u32s[3];
	__u64 u64s[2];
	__s8 s8s[3];
	__s16 s16s[2];
	__s32 s32s[2];
	__s64 s64s[2];
	__u16 grid[2][3];
	char name[12];
	char tag4[4]; /* no terminating NUL */
	char names[3][6];
	struct pt pts[2];
	float f;
	double d;
	float fs[2];
};

struct padding {
	__u8 a;
	__u64 b;
	__u16 c;
	__u32 d;
	__u8 e;
};

struct wide {
	__u64 u;
	__s64 s;
	enum color col;
	enum sign sg;
	enum big64 b64;
	_Bool t;
	_Bool f;
	char c;
	signed char sc;
	unsigned __int128 u128;
	__int128 s128;
	void *ptr;
};

/* Names that collide in TypeScript: a struct tag and a typedef with the same
 * name (separate C namespaces), TS reserved words and prelude names. */
struct dup {
	int v;
};
typedef __u16 dup;

struct new {
	int class;
	int __proto__;
	int constructor;
	dup d;
};

struct Codec {
	__u8 number;
};

typedef struct pt point_t;
typedef struct {
	__u16 a;
	__u8 b;
} anon_t;

/* typedef struct same same: one TS name for both. */
typedef struct same {
	__u32 v;
} same;

/* An anonymous enum as a member type: named by its path (withenum__mode). */
struct withenum {
	enum { MODE_X = 1, MODE_Y = 2 } mode;
	struct pt grid[2][2]; /* 2-D array of structs */
};

struct bits g_bits = {
	.a = 5, .b = 17, .c = -33, .d = 0x1abcd,
	.g = 1, .h = 2, .i = -3, .flag = 1, .kind = NEG, .j = 0xbeef,
};

struct bits64 g_bits64 = {
	.pre = 0xa5, .x = 0xfedcba9876ULL, .y = -4000, .z = 6,
	.w = 0x1deadbeefULL, .sw = -1000000000,
};

struct packed g_packed = {
	.tag = 0x11, .len = 0xdeadbeef, .port = 8080,
	.cookie = 0x0102030405060708ULL, .neg = -2,
};

struct packed_bits g_packed_bits = {
	.ver = 4, .ihl = 5, .frag = 0x1abc, .wide = 0x5a5a5a5, .swide = -200000, .tail = 0x77,
};

struct flags g_flags = { .word = 0x12345678, .after = 99 };
struct flags g_flags2 = { .lo12 = 0xabc, .mid = 0x5e, .hi = -2, .after = 7 };

struct nested g_nested = {
	.id = 42,
	.raw = 0x11223344,
	.range = { .start = 0x1000, .end = 0xfffffffffffffff0ULL },
	.u = { .b = { 1, 2, 3, 4, 5, 6, 7, 8 } },
};

struct arrays g_arrays = {
	.u8s = { 1, 2, 3, 250, 255 },
	.u16s = { 1, 0x1234, 0xffff },
	.u32s = { 7, 0x80000000, 0xffffffff },
	.u64s = { 0x1122334455667788ULL, 0xffffffffffffffffULL },
	.s8s = { -1, 127, -128 },
	.s16s = { -2, 30000 },
	.s32s = { -3, 2000000000 },
	.s64s = { -4, 0x7fffffffffffffffLL },
	.grid = { { 1, 2, 3 }, { 4, 5, 6 } },
	.name = "hello",
	.tag4 = "abcd",
	.names = { "ab", "cde", "" },
	.pts = { { -1, 1 }, { 100, -100 } },
	.f = 1.5f,
	.d = -2.25,
	.fs = { 0.5f, -8.0f },
};

struct padding g_padding = { .a = 1, .b = 2, .c = 3, .d = 4, .e = 5 };

struct wide g_wide = {
	.u = 0xfedcba9876543210ULL,
	.s = -1234567890123LL,
	.col = BLUE,
	.sg = NEG,
	.b64 = BIG_A,
	.t = 1,
	.f = 0,
	.c = 'x',
	.sc = -7,
	.u128 = ((unsigned __int128)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL,
	.s128 = -2,
	.ptr = (void *)0x12345678,
};

struct new g_new = { .class = 1, .__proto__ = 2, .constructor = 3, .d = 4 };
struct Codec g_codec = { .number = 9 };
point_t g_point = { .x = 3, .y = -4 };
anon_t g_anon = { .a = 0x4242, .b = 0x24 };
dup g_dup = 0x5555;
struct dup g_dup_struct = { .v = -9 };
same g_same = { .v = 77 };
struct withenum g_withenum = { .mode = MODE_Y, .grid = { { { 1, 2 }, { 3, 4 } }, { { 5, 6 }, { 7, 8 } } } };

SEC("socket") int values_prog(void *ctx)
{
	return g_bits.a + g_arrays.u8s[0];
}

char LICENSE[] SEC("license") = "GPL";
