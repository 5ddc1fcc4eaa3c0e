/* Types shared by a.bpf.c and b.bpf.c: each object carries its own copy in
 * its BTF, and linking the two must leave one copy (dedup). */
#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

/* Self-referencing (linked list). */
struct node {
	struct node *next;
	int val;
};

/* Mutually recursive. */
struct ping;
struct pong {
	struct ping *ping;
	long n;
};
struct ping {
	struct pong *pong;
	struct node nodes[2];
};

/* Anonymous struct behind a typedef. */
typedef struct {
	unsigned int lo, hi;
} range_t;

enum color { RED, GREEN, BLUE };

/* Array of pointers; a bitfield; a const-qualified member. */
struct table {
	struct node *slots[4];
	range_t range;
	enum color color;
	unsigned int flag : 1, kind : 3;
	const volatile int *cv;
};
