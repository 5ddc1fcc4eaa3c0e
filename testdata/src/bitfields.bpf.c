// SPDX-License-Identifier: GPL-2.0
/*
 * bitfields.bpf.c - a zoo of C type shapes for BTF parsing and dumping.
 *
 * Every type below is reachable from a global variable or a map value, so
 * the compiler emits it into .BTF:
 *   odd-width bitfields (signed and unsigned, straddling storage units,
 *   a 33-bit field in a u64), packed structs (with and without bitfields),
 *   unions, anonymous nested structs/unions, signed/unsigned/packed enums,
 *   an enum with 64-bit values (ENUM64), explicit padding, multi-dimensional
 *   arrays, a flexible array member, function pointers (also arrays of them),
 *   const/volatile/restrict members, typedef chains, floating point members
 *   (BTF_KIND_FLOAT), __int128, btf_decl_tag on types/members/variables/
 *   functions/parameters, btf_type_tag on pointers, and forward-declared
 *   (incomplete) struct/union used only through pointers (BTF_KIND_FWD).
 *
 * Not included: a forward-declared enum (GNU extension); clang emits it as
 * an ENUM with size 0, which the kernel's BTF verifier rejects.
 */
#include "bpfkit_helpers.h"

/* --- typedef chain ---------------------------------------------------- */
typedef __u32 bk_u32;
typedef bk_u32 bk_handle;
typedef bk_handle bk_handle_t;
typedef const bk_handle_t bk_const_handle_t;

/* --- enums ------------------------------------------------------------ */
enum bk_signed_enum {
	BK_NEG_BIG = -100000,
	BK_NEG_ONE = -1,
	BK_ZERO = 0,
	BK_POS = 7,
};

enum bk_unsigned_enum {
	BK_U_A = 1,
	BK_U_B = 0x80000000u,
	BK_U_C = 0xffffffffu,
};

enum __attribute__((packed)) bk_small_enum {
	BK_SMALL_A = 1,
	BK_SMALL_B = 200,
};

enum bk_enum64 {
	BK_E64_LOW = 1,
	BK_E64_HIGH = 0x123456789abcdef0ULL,
	BK_E64_MAX = 0xffffffffffffffffULL,
};

enum bk_signed_enum64 {
	BK_S64_NEG = -0x100000000LL,
	BK_S64_POS = 0x100000000LL,
};

/* --- forward declarations (never completed) -------------------------- */
struct bk_opaque;
union bk_opaque_union;

/* --- bitfields -------------------------------------------------------- */
struct bk_odd_bits {
	unsigned int a : 3;
	unsigned int b : 5;
	signed int c : 7;
	unsigned int d : 17; /* straddles the first 32-bit unit */
	unsigned long long e : 33;
	unsigned long long f : 31;
	unsigned char g : 1;
	unsigned char : 0; /* zero-width: forces alignment, no member */
	unsigned char h : 2;
	signed char i : 3;
	_Bool flag : 1;
	enum bk_signed_enum kind : 4; /* enum-typed bitfield */
	__u16 j;
};

struct __attribute__((packed)) bk_packed {
	__u8 tag;
	__u32 len;  /* offset 1 */
	__u16 port; /* offset 5 */
	__u64 cookie; /* offset 7 */
};

struct __attribute__((packed)) bk_packed_bits {
	__u8 ver : 4;
	__u8 ihl : 4;
	__u16 frag : 13;
	__u32 wide : 27;
	__u8 tail;
};

struct __attribute__((aligned(16))) bk_overaligned {
	__u8 byte;
};

/* --- unions and anonymous members ------------------------------------ */
union bk_value {
	__u64 u;
	__s64 s;
	double d;
	float f[2];
	__u8 bytes[8];
};

struct bk_nested {
	__u32 id;
	union {
		__u32 raw;
		struct {
			__u16 lo;
			__u16 hi;
		};
		struct {
			__u8 b0 : 4, b1 : 4;
			__u8 b2;
		} parts;
	};
	struct {
		__u64 start;
		union {
			__u64 end;
			__u64 len;
		};
	} range;
	union bk_value val;
};

/* --- explicit padding, arrays, flexible array member ----------------- */
struct bk_padded {
	__u8 kind;
	__u8 __pad0[3];
	__u32 count;
	__u16 grid[3][4][2];
	char names[2][8];
	__u8 __pad1[2];
	__u64 tail_len;
};

struct bk_flex {
	__u32 n;
	__u32 items[];
};

/* --- function pointers ------------------------------------------------ */
typedef int (*bk_handler_fn)(void *ctx, __u32 flags);

struct bk_ops {
	bk_handler_fn handler;
	int (*init)(struct bk_ops *self, const char *name);
	void (*callbacks[2])(int);
	long (*(*factory)(int))(void *);
	void (*noargs)(void);
	int (*varargs)(const char *fmt, ...);
};

/* --- qualifiers and tags ---------------------------------------------- */
struct bk_quals {
	const int c;
	volatile __u32 v;
	const volatile __u64 cv;
	int *restrict r;
	const char *const cp;
	volatile void *vp;
	bk_const_handle_t handle;
	char __user *ubuf;
	int __percpu *pcpu;
	struct bk_opaque __user *uopaque;
	struct bk_opaque __kptr *kptr;
	int __user __percpu *multi_tag; /* two stacked TYPE_TAGs */
	__u32 tagged_member __bpfkit_decl_tag("member_tag");
} __bpfkit_decl_tag("struct_tag") __bpfkit_decl_tag("second_tag");

union bk_tagged_union {
	__u32 a __bpfkit_decl_tag("union_member");
	__u64 b;
} __bpfkit_decl_tag("union_tag");

typedef struct bk_quals bk_quals_t;
typedef __u64 bk_tagged_u64 __bpfkit_decl_tag("typedef_tag");

/* --- everything together, plus wide integers and pointers to incompletes */
struct bk_all {
	struct bk_odd_bits bits;
	struct bk_packed packed;
	struct bk_packed_bits packed_bits;
	struct bk_overaligned aligned;
	struct bk_nested nested;
	struct bk_padded padded;
	struct bk_ops ops;
	bk_quals_t *quals;
	union bk_tagged_union tagged;
	enum bk_unsigned_enum ue;
	enum bk_small_enum se;
	enum bk_enum64 e64;
	enum bk_signed_enum64 se64;
	unsigned __int128 u128;
	__int128 s128;
	long double ld;
	char c;
	signed char sc;
	unsigned char uc;
	short s;
	unsigned short us;
	long l;
	unsigned long ul;
	_Bool b;
	struct bk_flex *flex;
	struct bk_opaque *opaque;
	union bk_opaque_union *opaque_union;
	void *anything;
	void **double_ptr;
};

/* Globals that pull all the above into BTF. */
struct bk_all bk_global __bpfkit_decl_tag("global_var_tag");
struct bk_odd_bits bk_bits_init = {
	.a = 5, .b = 17, .c = -3, .d = 100000, .e = 0x1ffffffffULL,
	.f = 12345, .g = 1, .h = 2, .i = -2, .flag = 1, .kind = BK_POS, .j = 9,
};
struct bk_packed bk_packed_init = { .tag = 1, .len = 2, .port = 3, .cookie = 4 };
const volatile struct bk_padded bk_padded_ro = { .kind = 1, .count = 2 };
bk_handle_t bk_handle_global = 3;
enum bk_enum64 bk_e64_global = BK_E64_HIGH;
enum bk_signed_enum bk_signed_global = BK_NEG_ONE;
struct bk_opaque *bk_opaque_global;
/* Types otherwise only reached through pointers (which clang would emit as
 * FWD) get their own globals so their full definitions land in BTF. */
bk_quals_t bk_quals_global;
struct bk_flex bk_flex_global;
int __user *bk_user_ptr_global;
bk_tagged_u64 bk_tagged_typedef_global = 11;

/* A map whose key and value are some of the odd types. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct bk_packed);
	__type(value, struct bk_nested);
} bk_map SEC(".maps");

static __noinline __bpfkit_decl_tag("func_tag") int
bk_tagged_func(int x __bpfkit_decl_tag("param_tag"))
{
	return x * 3 + bk_bits_init.c;
}

SEC("socket")
int bitfields_prog(struct __sk_buff *skb)
{
	struct bk_packed key = bk_packed_init;
	struct bk_nested *n;

	bk_global.bits.a = bk_bits_init.a;
	bk_global.bits.c = bk_bits_init.c;
	bk_global.bits.e = bk_bits_init.e + skb->len;
	bk_global.packed.len = bk_padded_ro.count;
	bk_global.padded.grid[1][2][1] = (__u16)bk_handle_global;
	bk_global.nested.hi = (__u16)skb->len;
	bk_global.e64 = bk_e64_global;
	bk_global.b = bk_signed_global < 0;

	n = bpf_map_lookup_elem(&bk_map, &key);
	if (n)
		n->range.len = n->parts.b1 + n->lo;

	return bk_tagged_func(skb->len & 0xff);
}

char LICENSE[] SEC("license") = "GPL";
