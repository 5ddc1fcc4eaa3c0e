/* Declarators: function pointers, multi-dimensional arrays, qualifiers,
 * type tags, and C name clashes clang puts into BTF. */
#define __user __attribute__((btf_type_tag("user")))
#define __rcu __attribute__((btf_type_tag("rcu")))

typedef int (*binop_t)(int, int);
typedef void (*vfn_t)(void);
typedef int (*(*fn_returning_fp_t)(long))(char *, ...);
typedef binop_t binop_arr_t[4];

struct ops {
	int (*open)(const char *name, int flags);
	void (*close)(void);
	binop_t ops[2];
	int (*(*get_handler)(int which))(void *);
	void (*arr_of_fp[3])(int);
	int (*(*ptr_to_arr_of_fp)[5])(short);
	fn_returning_fp_t fr;
};

struct arrays {
	int one[3];
	int two[2][3];
	char three[2][3][4];
	int *ptr_arr[5];
	int (*arr_ptr)[6];
	const char *const names[2];
	volatile int vi[2][2];
	int zero[0];
};

struct quals {
	const int ci;
	volatile long vl;
	const volatile char cvc;
	int *restrict rp;
	const int *const cpc;
	volatile int *const *vpp;
	const struct quals *cq;
	char *volatile pv;
	void *vp;
	const void *cvp;
	void **vpp2;
};

struct tagged {
	int __user *up;
	int __user * __rcu *upr;
	const char __user *cup;
	struct tagged __rcu *next;
};

typedef struct same_name { int x; } same_name;
typedef union uname { int i; } uname;
typedef enum ename { EN_A } ename;
typedef same_name same_name_t, *same_name_p;
typedef const volatile same_name cv_same_t;
typedef char char_arr_t[8];
typedef char_arr_t char_arr2_t[2];

struct all {
	struct ops o;
	struct arrays a;
	struct quals q;
	struct tagged t;
	same_name sn;
	uname un;
	ename en;
	same_name_t snt;
	same_name_p snp;
	cv_same_t cvs;
	char_arr2_t ca2;
	vfn_t v;
	binop_arr_t bo;
	float f;
	double d;
	_Bool b;
	__int128 i128;
	unsigned __int128 u128;
};

struct all g_all;

int add(int a, int b) { return a + b; }
binop_t g_fp = add;
