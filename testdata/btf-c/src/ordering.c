/* Dependency ordering: strong (embedded) vs weak (pointer) links, forward
 * declarations, typedef chains, anonymous nested types. */
struct later;
struct never_defined;

struct a_node {
	struct b_node *peer;		/* weak: b_node is defined after */
	struct a_node *self;
	struct never_defined *opaque;	/* only ever a forward declaration */
};

struct b_node {
	struct a_node *peer;
	struct a_node embedded;		/* strong: a_node must come first */
};

struct later {
	int v;
	struct outer *back;
};

struct outer {
	struct later in_place;		/* strong link; BTF gives struct later a higher id than struct outer */
	struct {
		int x;
		struct {
			char deep;
			union {
				long l;
				struct later *lp;
			} u;
		} mid;
	} anon_named_field;
	union {
		int alt_i;
		unsigned alt_u;
	};
	struct {
		struct a_node nested_strong;	/* anonymous struct via pointer still needs a_node */
	} *anon_ptr;
};


typedef struct later later_t;
typedef later_t later2_t;
typedef later2_t *later_ptr_t;
typedef struct { int anon_td_field; } anon_td_t;
typedef anon_td_t anon_td_arr_t[3];
typedef struct td_only td_only_t;	/* typedef of a never-defined struct */

struct cyc_a;
typedef struct cyc_a cyc_a_t;
struct cyc_b { cyc_a_t *a; struct cyc_b *self; };
struct cyc_a { struct cyc_b b; cyc_a_t *next; };

struct uses_typedefs {
	later_t l;
	later2_t l2;
	later_ptr_t lp;
	anon_td_t at;
	anon_td_arr_t arr;
	td_only_t *tdo;
	struct cyc_a ca;
};

struct b_node g_b;
struct outer g_outer;
struct uses_typedefs g_uses;
