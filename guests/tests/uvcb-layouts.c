/*
 * UV control blocks as s390x C code lays them out (field order, types and sizes of the kernel's
 * asm/uv.h), filled with recognisable values. No code: the flat binary is just these blocks, one
 * after the other, and UvcbLayoutTest decodes them with the Java records.
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long u64;

#define PACKED __attribute__((packed, aligned(8)))

struct hdr { u16 len; u16 cmd; u16 rc; u16 rrc; } PACKED;

struct qui { struct hdr h; u64 r08; u64 inst_calls[4]; u64 r30[2]; u64 uv_base_stor_len; u64 r48;
	u64 conf_base_phys; u64 conf_base_virt; u64 conf_virt_var; u64 cpu_stor_len; u32 r70[3];
	u32 max_num_sec_conf; u64 max_guest_stor_addr; u8 r88[158 - 136]; u16 max_guest_cpu_id;
	u64 features; u64 ra8; u64 supp_se_hdr_ver; u64 supp_se_hdr_pcf; u64 rc0; u64 dump_stor_state_len;
	u64 dump_finalize_len; u64 rd8; u64 supp_att_req_hdr_ver; u64 supp_att_pflags; u8 rf0[0x120 - 0xf0]; } PACKED;
struct init { struct hdr h; u64 r08[2]; u64 stor_origin; u64 stor_len; u64 r28[4]; } PACKED;
struct cgc { struct hdr h; u64 r08[2]; u64 guest_handle; u64 conf_base; u64 conf_virt; u8 r30[6]; u16 flags;
	u64 mso; u64 msl; u64 sca; u64 asce; u64 r58[5]; } PACKED;
struct csc { struct hdr h; u64 r08[2]; u64 cpu_handle; u64 guest_handle; u64 stor_origin; u8 r30[6]; u16 num;
	u64 state_origin; u64 r40[4]; } PACKED;
struct cts { struct hdr h; u64 r08[2]; u64 guest_handle; u64 gaddr; } PACKED;
struct cfs { struct hdr h; u64 r08[2]; u64 paddr; } PACKED;
struct ssc { struct hdr h; u64 r08[2]; u64 guest_handle; u64 hdr_origin; u32 hdr_len; u32 r2c; u64 r30[4]; } PACKED;
struct unp { struct hdr h; u64 r08[2]; u64 guest_handle; u64 gaddr; u64 tweak[2]; u64 r38[3]; } PACKED;
struct cpu_set_state { struct hdr h; u64 r08[2]; u64 cpu_handle; u8 r20[7]; u8 state; u64 r28[5]; } PACKED;
struct nodata { struct hdr h; u64 r08[2]; u64 handle; u64 r20[4]; } PACKED;
struct destroy_fast { struct hdr h; u64 r08[2]; u64 handle; u64 r20[5]; } PACKED;
struct share { struct hdr h; u64 r08[3]; u64 paddr; u64 r28; } PACKED;
struct attest { struct hdr h; u64 r08[2]; u64 arcb_addr; u64 cont_token; u8 r28[6]; u16 user_data_len;
	u8 user_data[256]; u32 r130[3]; u32 meas_len; u64 meas_addr; u8 config_uid[16]; u32 r158;
	u32 add_data_len; u64 add_data_addr; u64 r168[4]; } PACKED;
struct dump_cpu { struct hdr h; u64 r08[2]; u64 cpu_handle; u64 dump_area; u64 r28[5]; } PACKED;
struct dump_stor_state { struct hdr h; u64 r08[2]; u64 config_handle; u64 dump_area; u64 gaddr; u64 r30[4]; } PACKED;
struct dump_complete { struct hdr h; u64 r08[2]; u64 config_handle; u64 dump_area; u64 r30[5]; } PACKED;
struct guest_addr { struct hdr h; u64 r08[3]; u64 addr; u64 r28[4]; } PACKED;
struct list_secrets { struct hdr h; u64 r08[2]; u8 r18[6]; u16 start_idx; u64 list_addr; u64 r28[4]; } PACKED;
struct retr_secr { struct hdr h; u64 r08[2]; u16 secret_idx; u16 r1a; u32 buf_size; u64 buf_addr; u64 r28[4]; } PACKED;

struct all {
	struct qui qui; struct init init; struct cgc cgc; struct csc csc; struct cts cts; struct cfs cfs;
	struct ssc ssc; struct unp unp; struct cpu_set_state css; struct nodata nodata;
	struct destroy_fast fast; struct share share; struct attest attest; struct dump_cpu dcpu;
	struct dump_stor_state dss; struct dump_complete dcomplete;
	struct guest_addr add_secret; struct list_secrets list; struct retr_secr retr;
} PACKED;

const struct all layouts = {
	.qui = { { sizeof(struct qui), 0x0001, 0x0001, 0 }, 0, { 0x8000000000000000UL, 2, 3, 4 }, { 0, 0 },
		 0x100000, 0, 0x8000, 0x4000, 0x40, 0x1000, { 0, 0, 0 }, 1024, 0x3ffffffffffUL, { 0 }, 247,
		 0x8000000000000000UL, 0, 0x8000000000000000UL, 0x30000000f2UL, 0, 0x2000, 0x100, 0,
		 0x8000000000000000UL, 0x7000000000000000UL, { 0 } },
	.init = { { sizeof(struct init), 0x000f, 0, 0 }, { 0, 0 }, 0x80000000UL, 0x100000 },
	.cgc = { { sizeof(struct cgc), 0x0100, 0x0001, 0 }, { 0, 0 }, 0x1111222233334444UL, 0x104000, 0x108000,
		 { 0 }, 0x0003, 0, 42UL << 20, 0x110000, 0x120000 | 0x103 },
	.csc = { { sizeof(struct csc), 0x0120, 0, 0 }, { 0, 0 }, 0x5555666677778888UL, 0x1111222233334444UL,
		 0x130000, { 0 }, 7, 0x131000 },
	.cts = { { sizeof(struct cts), 0x0200, 0x010a, 0 }, { 0, 0 }, 0x1111222233334444UL, 0x7000 },
	.cfs = { { sizeof(struct cfs), 0x0201, 0x0107, 0x000d }, { 0, 0 }, 0x200000 },
	.ssc = { { sizeof(struct ssc), 0x0300, 0x0108, 0x0005 }, { 0, 0 }, 0x1111222233334444UL, 0x140000, 640 },
	.unp = { { sizeof(struct unp), 0x0301, 0, 0 }, { 0, 0 }, 0x1111222233334444UL, 0x15000,
		 { 0x0028abcdef012345UL, 0x3000 } },
	.css = { { sizeof(struct cpu_set_state), 0x0330, 0, 0 }, { 0, 0 }, 0x5555666677778888UL, { 0 }, 5 },
	.nodata = { { sizeof(struct nodata), 0x0302, 0x0102, 0x001b }, { 0, 0 }, 0x1111222233334444UL },
	.fast = { { sizeof(struct destroy_fast), 0x0102, 0, 0 }, { 0, 0 }, 0x1111222233334444UL },
	.share = { { sizeof(struct share), 0x1000, 0x0101, 0 }, { 0, 0, 0 }, 0x9000 },
	.attest = { { sizeof(struct attest), 0x1020, 0, 0 }, { 0, 0 }, 0x801000, 0, { 0 }, 5,
		    { 'h', 'e', 'l', 'l', 'o' }, { 0, 0, 0 }, 64, 0x803000,
		    { 0xc0, 0xff, 0xee, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42 }, 0, 32, 0x804000 },
	.dcpu = { { sizeof(struct dump_cpu), 0x0402, 0, 0 }, { 0, 0 }, 0x5555666677778888UL, 0x150000 },
	.dss = { { sizeof(struct dump_stor_state), 0x0401, 0, 0 }, { 0, 0 }, 0x1111222233334444UL, 0x160000,
		 0x100000 },
	.dcomplete = { { sizeof(struct dump_complete), 0x0403, 0, 0 }, { 0, 0 }, 0x1111222233334444UL, 0x170000 },
	.add_secret = { { sizeof(struct guest_addr), 0x1031, 0x0107, 0 }, { 0, 0, 0 }, 0x801000 },
	.list = { { sizeof(struct list_secrets), 0x1033, 0x0100, 0 }, { 0, 0 }, { 0 }, 85, 0x80a000 },
	.retr = { { sizeof(struct retr_secr), 0x1035, 0x0109, 0 }, { 0, 0 }, 3, 0, 8192, 0x80c000 },
};

/* No code to run: the entry symbol only keeps the linker quiet. */
__asm__(".globl _start\n_start = layouts\n");
