/* Bitfields, explicit padding, packed and over-aligned structs, enums of
 * unusual sizes and signedness. */
struct bits {
	unsigned a: 1;
	unsigned b: 3;
	int c: 12;
	unsigned long long d: 40;
	char after;
	short s: 5;
	long e: 60;
	unsigned long long tail: 1;
};

struct bits_holes {
	char c;
	int : 0;
	int x: 4;
	long : 20;
	long y: 7;
	long long z;
	char end;
};

struct __attribute__((packed)) pk {
	char c;
	int i;
	short s;
	long long l;
};

struct __attribute__((packed)) pk_bits {
	unsigned char x: 3;
	unsigned int y: 30;
	char z;
};

struct holds_packed {
	char c;
	struct pk p;
	struct pk_bits pb;
	short tail;
};

struct aligned_member {
	char c;
	int x __attribute__((aligned(16)));
	char after;
	long long y __attribute__((aligned(32)));
};

struct __attribute__((aligned(64))) aligned_struct {
	int a;
};

struct with_aligned {
	char c;
	struct aligned_struct as;
	char tail[3];
};

struct empty {};
struct with_empty {
	struct empty e;
	int x;
	struct empty e2[0];
	char flex[];
};

union mixed_union {
	char c;
	long long ll;
	struct { short a: 3, b: 5; } bf;
	int arr[3];
};

struct tail_pad {
	long long l;
	char c;
};

enum __attribute__((packed)) u8_enum { U8_A = 1, U8_B = 255 };
enum __attribute__((packed)) s8_enum { S8_A = -1, S8_B = 100 };
enum __attribute__((packed)) u16_enum { U16_A = 256, U16_B = 65535 };
enum signed_enum { SE_NEG = -2147483647 - 1, SE_POS = 2147483647 };
enum unsigned_enum { UE_BIG = 4294967295u };
enum big64 { B64_A = 1, B64_B = 0xffffffffffffffffULL };
enum neg64 { N64_A = -1, N64_B = 0x7fffffffffffLL };
enum empty_ish { EI_ONLY };

struct enums {
	enum u8_enum u8;
	enum s8_enum s8;
	enum u16_enum u16;
	enum signed_enum se;
	enum unsigned_enum ue;
	enum big64 b64;
	enum neg64 n64;
	enum empty_ish ei;
	enum { INLINE_A, INLINE_B = 7 } inl;
	enum __attribute__((packed)) { INLINE8 = 3 } inl8 : 4;
};

struct bits g_bits;
struct bits_holes g_holes;
struct holds_packed g_hp;
struct aligned_member g_am;
struct with_aligned g_wa;
struct with_empty g_we;
union mixed_union g_mu;
struct tail_pad g_tp;
struct enums g_enums;
