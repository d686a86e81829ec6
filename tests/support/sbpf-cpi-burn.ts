/**
 * A tiny on-chain program, assembled here, that forwards its instruction data to the SPL
 * Token program by CPI: so a test can make a `burn` happen as an INNER instruction, as a
 * Metaplex burn does. The local chain has no program that CPIs a burn, and no Solana
 * toolchain is installed, so the program is written as sBPF (v0) machine code and wrapped
 * in the smallest ELF the runtime's loader accepts (one .text, a dynamic symbol and one
 * relocation for the `sol_invoke_signed_c` syscall).
 *
 * Accounts: [token program, token account (w), mint (w), authority (signer)];
 * data: the token instruction to forward (e.g. Burn = [8, amount u64 LE]).
 * Deployed with LocalChain.setAccount as an executable account of BPF Loader 2.
 */

// --- sBPF instructions (8 bytes: opcode, dst | src << 4, offset i16, imm i32) ---
type Insn = Uint8Array;
function insn(op: number, dst: number, src: number, off: number, imm: number): Insn {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint8(0, op);
  v.setUint8(1, (dst & 0xf) | ((src & 0xf) << 4));
  v.setInt16(2, off, true);
  v.setInt32(4, imm, true);
  return b;
}
const R10 = 10;
const movImm = (dst: number, imm: number) => insn(0xb7, dst, 0, 0, imm);
const movReg = (dst: number, src: number) => insn(0xbf, dst, src, 0, 0);
const addImm = (dst: number, imm: number) => insn(0x07, dst, 0, 0, imm);
const addReg = (dst: number, src: number) => insn(0x0f, dst, src, 0, 0);
const andImm = (dst: number, imm: number) => insn(0x57, dst, 0, 0, imm);
const ldxdw = (dst: number, src: number, off: number) => insn(0x79, dst, src, off, 0);
const ldxb = (dst: number, src: number, off: number) => insn(0x71, dst, src, off, 0);
const stxdw = (dst: number, off: number, src: number) => insn(0x7b, dst, src, off, 0);
const stxb = (dst: number, off: number, src: number) => insn(0x73, dst, src, off, 0);
const stdw = (dst: number, off: number, imm: number) => insn(0x7a, dst, 0, off, imm);
const callSyscall = () => insn(0x85, 0, 0, 0, -1); // imm filled in by the loader from the relocation
const exit = () => insn(0x95, 0, 0, 0, 0);

const ACCOUNTS = 4;
const MAX_PERMITTED_DATA_INCREASE = 10 * 1024;
const INFO_SIZE = 56; // SolAccountInfo
const META_SIZE = 16; // SolAccountMeta
const INFOS = -512; // stack offsets from r10
const METAS = -256;
const IX = -128; // SolInstruction (40 bytes)

/** The program: serialized input (r1) → SolAccountInfo[4], SolAccountMeta[3], SolInstruction → CPI. */
function program(): { code: Uint8Array; syscallAt: number } {
  const out: Insn[] = [];
  out.push(movReg(6, 1), addImm(6, 8)); // r6 = first serialized account
  out.push(movReg(8, R10), addImm(8, INFOS), movReg(9, R10), addImm(9, METAS));
  for (let i = 0; i < ACCOUNTS; i += 1) {
    const info = i * INFO_SIZE;
    out.push(movReg(2, 6), addImm(2, 8), stxdw(8, info + 0, 2)); // key
    out.push(movReg(2, 6), addImm(2, 72), stxdw(8, info + 8, 2)); // &lamports
    out.push(ldxdw(3, 6, 80), stxdw(8, info + 16, 3)); // data_len
    out.push(movReg(2, 6), addImm(2, 88), stxdw(8, info + 24, 2)); // data
    out.push(movReg(2, 6), addImm(2, 40), stxdw(8, info + 32, 2)); // owner
    // rent_epoch sits after data, the realloc padding and alignment to 8
    out.push(movReg(4, 6), addReg(4, 3), addImm(4, 88 + MAX_PERMITTED_DATA_INCREASE + 7), andImm(4, -8));
    out.push(ldxdw(5, 4, 0), stxdw(8, info + 40, 5));
    out.push(ldxb(5, 6, 1), stxb(8, info + 48, 5)); // is_signer
    out.push(ldxb(5, 6, 2), stxb(8, info + 49, 5)); // is_writable
    out.push(ldxb(5, 6, 3), stxb(8, info + 50, 5)); // executable
    if (i > 0) {
      const meta = (i - 1) * META_SIZE;
      out.push(movReg(2, 6), addImm(2, 8), stxdw(9, meta + 0, 2)); // pubkey
      out.push(ldxb(5, 6, 2), stxb(9, meta + 8, 5)); // is_writable
      out.push(ldxb(5, 6, 1), stxb(9, meta + 9, 5)); // is_signer
    }
    out.push(movReg(6, 4), addImm(6, 8)); // next account
  }
  // r6 = instruction data length, data follows
  out.push(ldxdw(2, 8, 0), stxdw(R10, IX + 0, 2)); // program_id = accounts[0].key
  out.push(stxdw(R10, IX + 8, 9)); // accounts = metas
  out.push(stdw(R10, IX + 16, ACCOUNTS - 1)); // account_len
  out.push(movReg(2, 6), addImm(2, 8), stxdw(R10, IX + 24, 2)); // data
  out.push(ldxdw(2, 6, 0), stxdw(R10, IX + 32, 2)); // data_len
  out.push(movReg(1, R10), addImm(1, IX), movReg(2, 8), movImm(3, ACCOUNTS), movImm(4, 0), movImm(5, 0));
  const syscallAt = out.length;
  out.push(callSyscall(), movImm(0, 0), exit());
  const code = new Uint8Array(out.length * 8);
  out.forEach((ins, i) => code.set(ins, i * 8));
  return { code, syscallAt };
}

// --- ELF64 (little endian), ET_DYN for EM_BPF, section addresses equal to file offsets ---
const align8 = (n: number) => (n + 7) & ~7;

/** The program as an ELF shared object the sBPF loader accepts. */
export function cpiForwarderElf(): Uint8Array {
  const { code, syscallAt } = program();
  const dynstr = Buffer.from('\0sol_invoke_signed_c\0', 'latin1');
  const shstrtab = Buffer.from('\0.text\0.dynsym\0.dynstr\0.rel.dyn\0.dynamic\0.shstrtab\0', 'latin1');
  const name = (s: string) => shstrtab.indexOf(Buffer.from(`${s}\0`, 'latin1'));

  const textOff = 64;
  const dynsymOff = align8(textOff + code.length);
  const dynsymSize = 2 * 24;
  const dynstrOff = align8(dynsymOff + dynsymSize);
  const relOff = align8(dynstrOff + dynstr.length);
  const relSize = 16;
  const dynamicOff = align8(relOff + relSize);
  const dynamicEntries: [number, number][] = [
    [17, relOff], // DT_REL
    [18, relSize], // DT_RELSZ
    [19, 16], // DT_RELENT
    [6, dynsymOff], // DT_SYMTAB
    [11, 24], // DT_SYMENT
    [5, dynstrOff], // DT_STRTAB
    [10, dynstr.length], // DT_STRSZ
    [0, 0], // DT_NULL
  ];
  const dynamicSize = dynamicEntries.length * 16;
  const shstrOff = align8(dynamicOff + dynamicSize);
  const shOff = align8(shstrOff + shstrtab.length);
  const sections = 7;
  const file = Buffer.alloc(shOff + sections * 64);

  // ELF header
  file.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0); // magic, 64-bit, LE, version 1, SysV ABI
  file.writeUInt16LE(3, 16); // ET_DYN
  file.writeUInt16LE(247, 18); // EM_BPF
  file.writeUInt32LE(1, 20); // EV_CURRENT
  file.writeBigUInt64LE(BigInt(textOff), 24); // e_entry
  file.writeBigUInt64LE(0n, 32); // e_phoff (no program headers)
  file.writeBigUInt64LE(BigInt(shOff), 40);
  file.writeUInt32LE(0, 48); // e_flags: sBPF v0
  file.writeUInt16LE(64, 52); // e_ehsize
  file.writeUInt16LE(56, 54); // e_phentsize
  file.writeUInt16LE(0, 56); // e_phnum
  file.writeUInt16LE(64, 58); // e_shentsize
  file.writeUInt16LE(sections, 60);
  file.writeUInt16LE(6, 62); // e_shstrndx

  file.set(code, textOff);
  // .dynsym: [null, sol_invoke_signed_c (global, undefined)]
  file.writeUInt32LE(1, dynsymOff + 24); // st_name
  file.writeUInt8(0x10, dynsymOff + 24 + 4); // STB_GLOBAL, STT_NOTYPE
  file.set(dynstr, dynstrOff);
  // .rel.dyn: R_BPF_64_32 (10) against symbol 1 at the call instruction
  file.writeBigUInt64LE(BigInt(textOff + syscallAt * 8), relOff);
  file.writeBigUInt64LE((1n << 32n) | 10n, relOff + 8);
  dynamicEntries.forEach(([tag, value], i) => {
    file.writeBigUInt64LE(BigInt(tag), dynamicOff + i * 16);
    file.writeBigUInt64LE(BigInt(value), dynamicOff + i * 16 + 8);
  });
  file.set(shstrtab, shstrOff);

  const header = (
    index: number,
    h: {
      name: number;
      type: number;
      flags: number;
      off: number;
      size: number;
      link?: number;
      align: number;
      entsize?: number;
    },
  ) => {
    const at = shOff + index * 64;
    file.writeUInt32LE(h.name, at);
    file.writeUInt32LE(h.type, at + 4);
    file.writeBigUInt64LE(BigInt(h.flags), at + 8);
    file.writeBigUInt64LE(BigInt(h.off), at + 16); // sh_addr = file offset
    file.writeBigUInt64LE(BigInt(h.off), at + 24);
    file.writeBigUInt64LE(BigInt(h.size), at + 32);
    file.writeUInt32LE(h.link ?? 0, at + 40);
    file.writeUInt32LE(0, at + 44);
    file.writeBigUInt64LE(BigInt(h.align), at + 48);
    file.writeBigUInt64LE(BigInt(h.entsize ?? 0), at + 56);
  };
  header(1, { name: name('.text'), type: 1, flags: 0x6, off: textOff, size: code.length, align: 8 });
  header(2, {
    name: name('.dynsym'),
    type: 11,
    flags: 0x2,
    off: dynsymOff,
    size: dynsymSize,
    link: 3,
    align: 8,
    entsize: 24,
  });
  header(3, { name: name('.dynstr'), type: 3, flags: 0x2, off: dynstrOff, size: dynstr.length, align: 1 });
  header(4, {
    name: name('.rel.dyn'),
    type: 9,
    flags: 0x2,
    off: relOff,
    size: relSize,
    link: 2,
    align: 8,
    entsize: 16,
  });
  header(5, {
    name: name('.dynamic'),
    type: 6,
    flags: 0x2,
    off: dynamicOff,
    size: dynamicSize,
    link: 3,
    align: 8,
    entsize: 16,
  });
  header(6, { name: name('.shstrtab'), type: 3, flags: 0, off: shstrOff, size: shstrtab.length, align: 1 });
  return new Uint8Array(file);
}

export const BPF_LOADER_2 = 'BPFLoader2111111111111111111111111111111111';
