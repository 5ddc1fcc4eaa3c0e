/* SPDX-License-Identifier: MIT */
/*
 * bpfkit_helpers.h - a small, self-contained header for bpfkit's test
 * programs. It intentionally does not include any system, kernel or libbpf
 * header, so the produced objects depend only on the compiler and on the
 * files in this directory (no absolute include paths end up in DWARF/BTF).
 *
 * Works with clang (-target bpfel/bpfeb) and, for the subset used by
 * gcc_simple.bpf.c, with GCC's BPF back end (bpf-gcc).
 */
#ifndef BPFKIT_HELPERS_H
#define BPFKIT_HELPERS_H

/* ------------------------------------------------------------------ */
/* Basic types                                                          */
/* ------------------------------------------------------------------ */

typedef signed char __s8;
typedef unsigned char __u8;
typedef signed short __s16;
typedef unsigned short __u16;
typedef signed int __s32;
typedef unsigned int __u32;
typedef signed long long __s64;
typedef unsigned long long __u64;

typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#ifndef __cplusplus
#define bool _Bool
#define true 1
#define false 0
#endif

#define NULL ((void *)0)

/* ------------------------------------------------------------------ */
/* Attributes and section helpers                                       */
/* ------------------------------------------------------------------ */

/* Place a program, map or variable into an ELF section. */
#define SEC(name) __attribute__((section(name), used))

#define __weak __attribute__((weak))
#define __noinline __attribute__((noinline))
#define __always_inline inline __attribute__((always_inline))
#define __hidden __attribute__((visibility("hidden")))

/* Kernel symbols (resolved by the loader against kallsyms / vmlinux BTF). */
#define __ksym __attribute__((section(".ksyms")))
/* Kconfig values (resolved by the loader from the kernel's config). */
#define __kconfig __attribute__((section(".kconfig")))

/* BTF tags (clang only). */
#if defined(__clang__)
#define __bpfkit_decl_tag(x) __attribute__((btf_decl_tag(x)))
#define __bpfkit_type_tag(x) __attribute__((btf_type_tag(x)))
#else
#define __bpfkit_decl_tag(x)
#define __bpfkit_type_tag(x)
#endif

#define __user __bpfkit_type_tag("user")
#define __percpu __bpfkit_type_tag("percpu")
#define __kptr __bpfkit_type_tag("kptr")

/* ------------------------------------------------------------------ */
/* BTF-defined map description macros                                  */
/* ------------------------------------------------------------------ */

/* An integer property: encoded as the element count of an array type. */
#define __uint(name, val) int (*name)[val]
/* A type property: encoded as a pointer to that type. */
#define __type(name, val) __typeof__(val) *name
/* A map-in-map / prog-array slot list: flexible array of pointers. */
#define __array(name, val) __typeof__(val) *name[]

enum bpfkit_pin_kind {
	LIBBPF_PIN_NONE = 0,
	LIBBPF_PIN_BY_NAME = 1,
};

enum bpf_map_type {
	BPF_MAP_TYPE_UNSPEC = 0,
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PROG_ARRAY = 3,
	BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4,
	BPF_MAP_TYPE_PERCPU_HASH = 5,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_STACK_TRACE = 7,
	BPF_MAP_TYPE_CGROUP_ARRAY = 8,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_LRU_PERCPU_HASH = 10,
	BPF_MAP_TYPE_LPM_TRIE = 11,
	BPF_MAP_TYPE_ARRAY_OF_MAPS = 12,
	BPF_MAP_TYPE_HASH_OF_MAPS = 13,
	BPF_MAP_TYPE_DEVMAP = 14,
	BPF_MAP_TYPE_SOCKMAP = 15,
	BPF_MAP_TYPE_CPUMAP = 16,
	BPF_MAP_TYPE_XSKMAP = 17,
	BPF_MAP_TYPE_SOCKHASH = 18,
	BPF_MAP_TYPE_QUEUE = 22,
	BPF_MAP_TYPE_STACK = 23,
	BPF_MAP_TYPE_SK_STORAGE = 24,
	BPF_MAP_TYPE_DEVMAP_HASH = 25,
	BPF_MAP_TYPE_RINGBUF = 27,
	BPF_MAP_TYPE_TASK_STORAGE = 29,
	BPF_MAP_TYPE_BLOOM_FILTER = 30,
};

/* map_flags */
#define BPF_F_NO_PREALLOC (1U << 0)
#define BPF_F_NO_COMMON_LRU (1U << 1)
#define BPF_F_NUMA_NODE (1U << 2)
#define BPF_F_RDONLY_PROG (1U << 7)
#define BPF_F_WRONLY_PROG (1U << 8)
#define BPF_F_MMAPABLE (1U << 10)

/* update flags */
#define BPF_ANY 0
#define BPF_NOEXIST 1
#define BPF_EXIST 2

/* program return codes */
enum xdp_action {
	XDP_ABORTED = 0,
	XDP_DROP = 1,
	XDP_PASS = 2,
	XDP_TX = 3,
	XDP_REDIRECT = 4,
};

#define TC_ACT_UNSPEC (-1)
#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

/* Context structures (only the leading fields that are used). */
struct xdp_md {
	__u32 data;
	__u32 data_end;
	__u32 data_meta;
	__u32 ingress_ifindex;
	__u32 rx_queue_index;
	__u32 egress_ifindex;
};

struct __sk_buff {
	__u32 len;
	__u32 pkt_type;
	__u32 mark;
	__u32 queue_mapping;
	__u32 protocol;
	__u32 vlan_present;
	__u32 vlan_tci;
	__u32 vlan_proto;
	__u32 priority;
	__u32 ingress_ifindex;
	__u32 ifindex;
	__u32 tc_index;
	__u32 cb[5];
	__u32 hash;
	__u32 tc_classid;
	__u32 data;
	__u32 data_end;
};

/* x86-64 pt_regs layout (used only by kprobe programs, read via ctx). */
struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8;
	unsigned long ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};

/* ------------------------------------------------------------------ */
/* Helper functions: "call <id>"                                       */
/* ------------------------------------------------------------------ */

#if defined(__clang__)
#define BPFKIT_HELPER(ret, name, id, ...) \
	static ret (*const name)(__VA_ARGS__) = (void *)(id)
#else
/* GCC: constant function pointers are fragile (calls can be merged into an
 * indirect call), so use GCC's kernel_helper attribute instead. */
#define BPFKIT_HELPER(ret, name, id, ...) \
	ret name(__VA_ARGS__) __attribute__((kernel_helper(id)))
#endif

BPFKIT_HELPER(void *, bpf_map_lookup_elem, 1, void *map, const void *key);
BPFKIT_HELPER(long, bpf_map_update_elem, 2, void *map, const void *key,
	      const void *value, __u64 flags);
BPFKIT_HELPER(long, bpf_map_delete_elem, 3, void *map, const void *key);
BPFKIT_HELPER(__u64, bpf_ktime_get_ns, 5, void);
BPFKIT_HELPER(long, bpf_trace_printk, 6, const char *fmt, __u32 fmt_size, ...);
BPFKIT_HELPER(__u32, bpf_get_prandom_u32, 7, void);
BPFKIT_HELPER(__u32, bpf_get_smp_processor_id, 8, void);
BPFKIT_HELPER(long, bpf_tail_call, 12, void *ctx, void *prog_array_map,
	      __u32 index);
BPFKIT_HELPER(__u64, bpf_get_current_pid_tgid, 14, void);
BPFKIT_HELPER(__u64, bpf_get_current_uid_gid, 15, void);
BPFKIT_HELPER(long, bpf_get_current_comm, 16, void *buf, __u32 size_of_buf);
BPFKIT_HELPER(long, bpf_skb_load_bytes, 26, const void *skb, __u32 offset,
	      void *to, __u32 len);
BPFKIT_HELPER(__u64, bpf_get_current_task, 35, void);
BPFKIT_HELPER(long, bpf_get_numa_node_id, 42, void);
BPFKIT_HELPER(long, bpf_map_push_elem, 87, void *map, const void *value,
	      __u64 flags);
BPFKIT_HELPER(long, bpf_map_peek_elem, 89, void *map, void *value);
BPFKIT_HELPER(long, bpf_probe_read_user, 112, void *dst, __u32 size,
	      const void *unsafe_ptr);
BPFKIT_HELPER(long, bpf_probe_read_kernel, 113, void *dst, __u32 size,
	      const void *unsafe_ptr);
BPFKIT_HELPER(long, bpf_probe_read_kernel_str, 115, void *dst, __u32 size,
	      const void *unsafe_ptr);
BPFKIT_HELPER(__u64, bpf_ktime_get_boot_ns, 125, void);
BPFKIT_HELPER(long, bpf_ringbuf_output, 130, void *ringbuf, void *data,
	      __u64 size, __u64 flags);
BPFKIT_HELPER(void *, bpf_ringbuf_reserve, 131, void *ringbuf, __u64 size,
	      __u64 flags);
BPFKIT_HELPER(void, bpf_ringbuf_submit, 132, void *data, __u64 flags);
BPFKIT_HELPER(void, bpf_ringbuf_discard, 133, void *data, __u64 flags);
BPFKIT_HELPER(void *, bpf_per_cpu_ptr, 153, const void *percpu_ptr, __u32 cpu);
BPFKIT_HELPER(void *, bpf_this_cpu_ptr, 154, const void *percpu_ptr);
struct task_struct;
BPFKIT_HELPER(struct task_struct *, bpf_get_current_task_btf, 158, void);
BPFKIT_HELPER(long, bpf_loop, 181, __u32 nr_loops, void *callback_fn,
	      void *callback_ctx, __u64 flags);

/* trace_printk with a format string placed in .rodata. */
#define bpfkit_printk(fmt, ...)                                              \
	({                                                                   \
		static const char __bpfkit_fmt[] = fmt;                      \
		bpf_trace_printk(__bpfkit_fmt, sizeof(__bpfkit_fmt),         \
				 ##__VA_ARGS__);                             \
	})

/* ------------------------------------------------------------------ */
/* CO-RE (compile once, run everywhere) relocation helpers              */
/* ------------------------------------------------------------------ */
#if defined(__clang__)

/* Second argument of __builtin_preserve_field_info(). */
enum bpfkit_field_info_kind {
	BPFKIT_FIELD_BYTE_OFFSET = 0,
	BPFKIT_FIELD_BYTE_SIZE = 1,
	BPFKIT_FIELD_EXISTS = 2,
	BPFKIT_FIELD_SIGNED = 3,
	BPFKIT_FIELD_LSHIFT_U64 = 4,
	BPFKIT_FIELD_RSHIFT_U64 = 5,
};

/* Second argument of __builtin_btf_type_id(). */
enum bpfkit_type_id_kind {
	BPFKIT_TYPE_ID_LOCAL = 0,
	BPFKIT_TYPE_ID_TARGET = 1,
};

/* Second argument of __builtin_preserve_type_info(). */
enum bpfkit_type_info_kind {
	BPFKIT_TYPE_EXISTS = 0,
	BPFKIT_TYPE_SIZE = 1,
	BPFKIT_TYPE_MATCHES = 2,
};

/* Second argument of __builtin_preserve_enum_value(). */
enum bpfkit_enum_value_kind {
	BPFKIT_ENUMVAL_EXISTS = 0,
	BPFKIT_ENUMVAL_VALUE = 1,
};

/* Field relocations; `field` is an access expression such as p->a.b. */
#define bpf_core_field_exists(field) \
	__builtin_preserve_field_info(field, BPFKIT_FIELD_EXISTS)
#define bpf_core_field_size(field) \
	__builtin_preserve_field_info(field, BPFKIT_FIELD_BYTE_SIZE)
#define bpf_core_field_offset(field) \
	__builtin_preserve_field_info(field, BPFKIT_FIELD_BYTE_OFFSET)
#define bpf_core_field_signed(field) \
	__builtin_preserve_field_info(field, BPFKIT_FIELD_SIGNED)
#define bpf_core_field_lshift(field) \
	__builtin_preserve_field_info(field, BPFKIT_FIELD_LSHIFT_U64)
#define bpf_core_field_rshift(field) \
	__builtin_preserve_field_info(field, BPFKIT_FIELD_RSHIFT_U64)

/* Type relocations; `type` is a type name such as struct task_struct. */
#define bpfkit_type_ref(type) (*(__typeof__(type) *)0)
#define bpf_core_type_exists(type) \
	__builtin_preserve_type_info(bpfkit_type_ref(type), BPFKIT_TYPE_EXISTS)
#define bpf_core_type_size(type) \
	__builtin_preserve_type_info(bpfkit_type_ref(type), BPFKIT_TYPE_SIZE)
#define bpf_core_type_matches(type) \
	__builtin_preserve_type_info(bpfkit_type_ref(type), BPFKIT_TYPE_MATCHES)
#define bpf_core_type_id_local(type) \
	__builtin_btf_type_id(bpfkit_type_ref(type), BPFKIT_TYPE_ID_LOCAL)
#define bpf_core_type_id_kernel(type) \
	__builtin_btf_type_id(bpfkit_type_ref(type), BPFKIT_TYPE_ID_TARGET)

/* Enumerator relocations: (enum type, enumerator name). */
#define bpf_core_enum_value_exists(enum_type, enumerator)                  \
	__builtin_preserve_enum_value(*(__typeof__(enum_type) *)enumerator, \
				      BPFKIT_ENUMVAL_EXISTS)
#define bpf_core_enum_value(enum_type, enumerator)                         \
	__builtin_preserve_enum_value(*(__typeof__(enum_type) *)enumerator, \
				      BPFKIT_ENUMVAL_VALUE)

/*
 * Relocatable kernel memory reads. `BPFKIT_CORE_READ(p, f)` reads p->f with
 * bpf_probe_read_kernel(), recording a CO-RE field-offset relocation for the
 * access; the _2/_3 variants follow pointer chains (p->a->b, p->a->b->c).
 */
#define bpfkit_core_read_into(dst, src_expr)                              \
	bpf_probe_read_kernel((void *)(dst), sizeof(*(dst)),              \
			      (const void *)__builtin_preserve_access_index( \
				      &(src_expr)))

#define BPFKIT_CORE_READ(src, f)                                          \
	({                                                                \
		__typeof__((src)->f) __bpfkit_v;                          \
		__builtin_memset(&__bpfkit_v, 0, sizeof(__bpfkit_v));     \
		bpfkit_core_read_into(&__bpfkit_v, (src)->f);             \
		__bpfkit_v;                                               \
	})
#define BPFKIT_CORE_READ_2(src, a, b)                                     \
	({                                                                \
		__typeof__((src)->a) __bpfkit_p1 = BPFKIT_CORE_READ(src, a); \
		BPFKIT_CORE_READ(__bpfkit_p1, b);                         \
	})
#define BPFKIT_CORE_READ_3(src, a, b, c)                                  \
	({                                                                \
		__typeof__((src)->a) __bpfkit_p2 = BPFKIT_CORE_READ(src, a); \
		BPFKIT_CORE_READ_2(__bpfkit_p2, b, c);                    \
	})

/*
 * Relocatable bitfield read: byte offset and size locate the containing
 * storage unit, then the value is shifted left/right (arithmetic shift if
 * the field is signed) to extract the bits.
 */
#define BPFKIT_CORE_READ_BITFIELD(src, f)                                   \
	({                                                                  \
		unsigned long long __bpfkit_bits = 0;                       \
		unsigned int __bpfkit_off = bpf_core_field_offset((src)->f); \
		unsigned int __bpfkit_sz = bpf_core_field_size((src)->f);   \
		const void *__bpfkit_p = (const void *)(src) + __bpfkit_off; \
		switch (__bpfkit_sz) {                                      \
		case 1: {                                                   \
			__u8 __t = 0;                                       \
			bpf_probe_read_kernel(&__t, 1, __bpfkit_p);         \
			__bpfkit_bits = __t;                                \
			break;                                              \
		}                                                           \
		case 2: {                                                   \
			__u16 __t = 0;                                      \
			bpf_probe_read_kernel(&__t, 2, __bpfkit_p);         \
			__bpfkit_bits = __t;                                \
			break;                                              \
		}                                                           \
		case 4: {                                                   \
			__u32 __t = 0;                                      \
			bpf_probe_read_kernel(&__t, 4, __bpfkit_p);         \
			__bpfkit_bits = __t;                                \
			break;                                              \
		}                                                           \
		case 8: {                                                   \
			__u64 __t = 0;                                      \
			bpf_probe_read_kernel(&__t, 8, __bpfkit_p);         \
			__bpfkit_bits = __t;                                \
			break;                                              \
		}                                                           \
		}                                                           \
		__bpfkit_bits <<= bpf_core_field_lshift((src)->f);          \
		bpf_core_field_signed((src)->f)                             \
			? (unsigned long long)((long long)__bpfkit_bits >>  \
					       bpf_core_field_rshift((src)->f)) \
			: (__bpfkit_bits >> bpf_core_field_rshift((src)->f)); \
	})

#endif /* __clang__ */

#endif /* BPFKIT_HELPERS_H */
