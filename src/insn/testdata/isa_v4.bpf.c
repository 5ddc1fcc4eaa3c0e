/* SPDX-License-Identifier: MIT */
/*
 * isa_v4.bpf.c - instruction coverage for bpfkit's src/insn tests.
 *
 * Built with clang-19 -mcpu=v4 (see build.sh) so that the cpu v4 forms
 * appear: sdiv/smod, movsx, sign-extending loads (MEMSX), unconditional
 * bswap, 32- and 64-bit atomics with and without fetch, xchg, cmpxchg.
 * Inline assembly adds the forms the compiler only emits in special
 * situations: gotol (a jump beyond +-32767 instructions), may_goto, callx,
 * addr_space_cast, legacy packet loads (LD ABS/IND), le/be byte swaps,
 * neg, and ld_imm64 with a pseudo source.
 *
 * Not a program meant to be loaded: the verifier would reject parts of it.
 * It only has to compile and exercise the decoder and disassembler.
 */
typedef signed char s8;
typedef unsigned char u8;
typedef short s16;
typedef unsigned short u16;
typedef int s32;
typedef unsigned int u32;
typedef long long s64;
typedef unsigned long long u64;

#define SEC(name) __attribute__((section(name), used))
#define __noinline __attribute__((noinline))

char LICENSE[] SEC("license") = "GPL";

u64 g64;
u32 g32;
s64 gs64;
s32 gs32;

/* Signed division and modulo: sdiv/smod, 64- and 32-bit, reg and imm. */
SEC("socket")
s64 signed_divmod(s64 *p)
{
	s64 a = p[0], b = p[1];
	s32 c = (s32)p[2], d = (s32)p[3];
	s64 r = a / b + a % b + a / -7 + a % 13;
	s32 r32 = c / d + c % d + c / 5 + c % -3;
	return r + r32;
}

/* Sign extension between registers (movsx) and sign-extending loads. */
SEC("socket")
s64 sign_extend(void *ctx)
{
	volatile s8 *p8 = ctx;
	volatile s16 *p16 = ctx;
	volatile s32 *p32 = ctx;
	s64 x = p8[1] + p16[2] + p32[3];      /* ldsx 8/16/32 */
	s64 v = gs64;
	s64 y = (s8)v + (s16)v + (s32)v;      /* movsx 64-bit */
	s32 w = gs32;
	s32 z = (s8)w + (s16)w;               /* movsx 32-bit */
	return x + y + z;
}

/* Byte swaps: bswap16/32/64 (cpu v4, ALU64 class). */
SEC("socket")
u64 byte_swaps(u64 *p)
{
	return __builtin_bswap16((u16)p[0]) + __builtin_bswap32((u32)p[1]) +
	       __builtin_bswap64(p[2]);
}

/* Atomics: add/or/and/xor with and without fetch, xchg, cmpxchg, 32/64. */
SEC("socket")
u64 atomics(void *ctx)
{
	u64 r = 0;
	__sync_fetch_and_add(&g64, 1);
	__sync_fetch_and_add(&g32, 1);
	__sync_fetch_and_or(&g64, 2);
	__sync_fetch_and_or(&g32, 2);
	__sync_fetch_and_and(&g64, 3);
	__sync_fetch_and_and(&g32, 3);
	__sync_fetch_and_xor(&g64, 4);
	__sync_fetch_and_xor(&g32, 4);
	r += __sync_fetch_and_add(&g64, 5);
	r += __sync_fetch_and_add(&g32, 5);
	r += __sync_fetch_and_or(&g64, 6);
	r += __sync_fetch_and_or(&g32, 6);
	r += __sync_fetch_and_and(&g64, 7);
	r += __sync_fetch_and_and(&g32, 7);
	r += __sync_fetch_and_xor(&g64, 8);
	r += __sync_fetch_and_xor(&g32, 8);
	r += __sync_lock_test_and_set(&g64, 9);
	r += __sync_lock_test_and_set(&g32, 9);
	r += __sync_val_compare_and_swap(&g64, 10, 11);
	r += __sync_val_compare_and_swap(&g32, 10, 11);
	return r;
}

static __noinline int callee(int x)
{
	return x * 3 + 1;
}

typedef int (*fn_t)(int);
fn_t volatile fnptr = callee;

/* A local (pseudo) call and an indirect call through a pointer (callx). */
SEC("socket")
int calls(int *p)
{
	fn_t f = fnptr;
	return callee(p[0]) + f(p[1]);
}

/* Forms that need inline assembly. */
SEC("socket")
int asm_forms(void *ctx)
{
	int ret;
	asm volatile(
		"r6 = r1\n"
		"r0 = *(u8 *)skb[3]\n"            /* LD ABS */
		"r0 = *(u16 *)skb[r7]\n"          /* LD IND */
		"r0 = *(u32 *)skb[0x10]\n"
		"r1 = -r1\n"                       /* neg */
		"w1 = -w1\n"
		"r1 = be16 r1\n"                   /* ALU-class byte swaps */
		"r1 = be32 r1\n"
		"r1 = be64 r1\n"
		"r1 = le16 r1\n"
		"r1 = le32 r1\n"
		"r1 = le64 r1\n"
		"r1 = bswap16 r1\n"
		"r1 = bswap32 r1\n"
		"r1 = bswap64 r1\n"
		"r2 = addr_space_cast(r1, 0, 1)\n" /* arena casts */
		"r2 = addr_space_cast(r1, 1, 0)\n"
		"may_goto +1\n"
		"r1 = 1\n"
		"gotol +1\n"                       /* JA in JMP32 class, 32-bit imm */
		"r1 = 2\n"
		"gotol -2\n"
		"callx r3\n"
		"r1 = 0x1122334455667788 ll\n"
		"ld_pseudo r1, 1, 7\n"             /* ld_imm64 with pseudo sources */
		"ld_pseudo r2, 2, 8\n"
		"ld_pseudo r3, 4, 9\n"
		"w0 = 0\n"
		: "=r"(ret)
		:
		: "r1", "r2", "r3", "r6", "r7", "memory");
	return ret;
}

struct pair { u64 a, b; };
struct pair pairs[4];

/* Stores of immediates and a typical map-value style access. */
SEC("socket")
int stores(int *p)
{
	unsigned i = p[0] & 3;
	pairs[i].a = 1;
	pairs[i].b = -2;
	*(volatile u8 *)p = 0x7f;
	*(volatile u16 *)(p + 1) = 0x1234;
	*(volatile u32 *)(p + 2) = 0xdeadbeef;
	return 0;
}

/* Conditional jumps, 64- and 32-bit, immediate and register. */
SEC("socket")
int branches(long *p)
{
	long a = p[0], b = p[1];
	int c = (int)p[2], d = (int)p[3];
	int r = 0;
	if (a > b)
		r += 1;
	if (a < 100)
		r += 2;
	if (c == d)
		r += 4;
	if (c >= 7)
		r += 8;
	if ((unsigned long)a <= (unsigned long)b)
		r += 16;
	if (a & 0x40)
		r += 32;
	return r;
}
