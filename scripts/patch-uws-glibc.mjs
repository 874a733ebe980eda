// Makes the prebuilt uWebSockets.js binaries load on glibc 2.36 (Debian 12).
//
// The binaries shipped by @btc-vision/uwebsockets.js were linked against glibc 2.38, whose headers
// redirect strtol/strtoul/sscanf to the C23 entry points __isoc23_*. Nothing else in them needs a
// glibc newer than 2.36, and the pre-C23 entry points (strtol, strtoul @GLIBC_2.2.5,
// __isoc99_sscanf @GLIBC_2.7) behave the same except for C23's "0b" binary literals. So we point
// those imports back at the older entry points by editing the dynamic symbol and version tables in
// place (about a dozen bytes; nothing moves, nothing grows) and check the result with LD_BIND_NOW=1.
//
// It runs as the project's npm postinstall, possibly under the system Node 20, so it is plain
// JavaScript with no dependencies. It never fails the install: a server that cannot load uWS says so
// at start and the ws transport remains available.

import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The glibc release whose requirement the patch removes; hosts at or above it need nothing. */
export const PATCHED_AWAY_GLIBC = "2.38";

const LOG_PREFIX = "[koto uws]";

// ---------------------------------------------------------------------------------------------
// ELF64 little-endian reading
// ---------------------------------------------------------------------------------------------

const SHT_DYNSYM = 11;
const SHT_DYNAMIC = 6;
const SHT_GNU_VERDEF = 0x6ffffffd;
const SHT_GNU_VERNEED = 0x6ffffffe;
const SHT_GNU_VERSYM = 0x6fffffff;

const DT_NULL = 0n;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
const DT_SYMTAB = 6n;
const DT_SONAME = 14n;
const DT_RPATH = 15n;
const DT_RUNPATH = 29n;
const DT_VERSYM = 0x6ffffff0n;
const DT_VERNEED = 0x6ffffffen;

const SYMBOL_SIZE = 24;
const VERSYM_HIDDEN = 0x8000;

/** Wraps raw bytes as a Buffer view without copying. */
function asBuffer(image) {
  if (Buffer.isBuffer(image)) return image;
  if (image instanceof Uint8Array) return Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  throw new TypeError("expected the bytes of an ELF file (Buffer or Uint8Array)");
}

function toOffset(value, what) {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`ELF_MALFORMED: ${what} is out of range`);
  return Number(value);
}

function checkRange(buffer, offset, length, what) {
  if (offset < 0 || length < 0 || offset + length > buffer.length) {
    throw new Error(`ELF_MALFORMED: ${what} lies outside the file`);
  }
}

function readCString(buffer, offset, what) {
  checkRange(buffer, offset, 1, what);
  const end = buffer.indexOf(0, offset);
  if (end < 0) throw new Error(`ELF_MALFORMED: ${what} is not NUL-terminated`);
  return buffer.toString("latin1", offset, end);
}

function readSectionHeaders(buffer) {
  checkRange(buffer, 0, 64, "ELF header");
  if (buffer.readUInt32BE(0) !== 0x7f454c46) throw new Error("ELF_UNSUPPORTED: not an ELF file");
  if (buffer[4] !== 2 || buffer[5] !== 1) {
    throw new Error("ELF_UNSUPPORTED: only 64-bit little-endian ELF files are handled");
  }
  const tableOffset = toOffset(buffer.readBigUInt64LE(0x28), "section header table");
  const entrySize = buffer.readUInt16LE(0x3a);
  let count = buffer.readUInt16LE(0x3c);
  if (tableOffset === 0) throw new Error("ELF_UNSUPPORTED: the file has no section headers");
  if (entrySize < 64) throw new Error("ELF_MALFORMED: section header entries are too small");
  // With 0xff00 sections or more the real count lives in section 0's sh_size.
  if (count === 0) {
    checkRange(buffer, tableOffset, entrySize, "section header 0");
    count = toOffset(buffer.readBigUInt64LE(tableOffset + 32), "section count");
  }
  checkRange(buffer, tableOffset, count * entrySize, "section header table");
  const sections = [];
  for (let index = 0; index < count; index++) {
    const at = tableOffset + index * entrySize;
    const section = {
      index,
      type: buffer.readUInt32LE(at + 4),
      address: buffer.readBigUInt64LE(at + 16),
      offset: toOffset(buffer.readBigUInt64LE(at + 24), "section offset"),
      size: toOffset(buffer.readBigUInt64LE(at + 32), "section size"),
      link: buffer.readUInt32LE(at + 40),
      info: buffer.readUInt32LE(at + 44),
      entrySize: toOffset(buffer.readBigUInt64LE(at + 56), "section entry size"),
    };
    if (section.type !== 8 /* SHT_NOBITS */) checkRange(buffer, section.offset, section.size, `section ${index}`);
    sections.push(section);
  }
  return sections;
}

function onlySectionOfType(sections, type, name) {
  const found = sections.filter((section) => section.type === type);
  if (found.length > 1) throw new Error(`ELF_UNSUPPORTED: more than one ${name} section`);
  return found[0];
}

/**
 * The loader reads the tables through the dynamic segment, not the section headers; patching by
 * section is only right when both name the same bytes.
 */
function checkDynamicAgreesWithSections(dynamicEntries, tables) {
  const expectations = [
    [DT_STRTAB, tables.dynstr, ".dynstr"],
    [DT_SYMTAB, tables.dynsym, ".dynsym"],
    [DT_VERSYM, tables.versym, ".gnu.version"],
    [DT_VERNEED, tables.verneed, ".gnu.version_r"],
  ];
  for (const [tag, section, name] of expectations) {
    const entry = dynamicEntries.find((candidate) => candidate.tag === tag);
    if (entry && section && entry.value !== section.address) {
      throw new Error(`ELF_UNSUPPORTED: the dynamic table and the ${name} section header disagree`);
    }
  }
}

function readDynamicEntries(buffer, section) {
  const entries = [];
  if (!section) return entries;
  for (let at = section.offset; at + 16 <= section.offset + section.size; at += 16) {
    const tag = buffer.readBigInt64LE(at);
    if (tag === DT_NULL) break;
    entries.push({ tag, value: buffer.readBigUInt64LE(at + 8), valueOffset: at + 8 });
  }
  return entries;
}

function readVersionNeedsFrom(buffer, verneed, dynstr) {
  const needs = [];
  if (!verneed) return needs;
  const end = verneed.offset + verneed.size;
  let at = verneed.offset;
  // sh_info holds the entry count; the chain is also bounded by the section size.
  for (let entry = 0; entry < Math.max(verneed.info, 1); entry++) {
    checkRange(buffer, at, 16, "version need entry");
    if (at + 16 > end) throw new Error("ELF_MALFORMED: version need entry beyond its section");
    const fileNameOffset = buffer.readUInt32LE(at + 4);
    const need = {
      offset: at,
      file: readCString(buffer, dynstr.offset + fileNameOffset, "version need file name"),
      fileNameOffset,
      versions: [],
    };
    const auxCount = buffer.readUInt16LE(at + 2);
    let auxAt = at + buffer.readUInt32LE(at + 8);
    for (let aux = 0; aux < auxCount; aux++) {
      checkRange(buffer, auxAt, 16, "version need aux entry");
      const nameOffset = buffer.readUInt32LE(auxAt + 8);
      need.versions.push({
        offset: auxAt,
        hash: buffer.readUInt32LE(auxAt),
        flags: buffer.readUInt16LE(auxAt + 4),
        index: buffer.readUInt16LE(auxAt + 6),
        nameOffset,
        name: readCString(buffer, dynstr.offset + nameOffset, "version name"),
      });
      const next = buffer.readUInt32LE(auxAt + 12);
      if (next === 0) break;
      auxAt += next;
    }
    needs.push(need);
    const next = buffer.readUInt32LE(at + 12);
    if (next === 0) break;
    at += next;
  }
  return needs;
}

/** String-table offsets named by version definitions (a library exporting versions has them). */
function readVersionDefinitionNameOffsets(buffer, verdef) {
  const offsets = [];
  if (!verdef) return offsets;
  let at = verdef.offset;
  for (let entry = 0; entry < Math.max(verdef.info, 1); entry++) {
    checkRange(buffer, at, 20, "version definition entry");
    const auxCount = buffer.readUInt16LE(at + 6);
    let auxAt = at + buffer.readUInt32LE(at + 12);
    for (let aux = 0; aux < auxCount; aux++) {
      checkRange(buffer, auxAt, 8, "version definition aux entry");
      offsets.push(buffer.readUInt32LE(auxAt));
      const next = buffer.readUInt32LE(auxAt + 4);
      if (next === 0) break;
      auxAt += next;
    }
    const next = buffer.readUInt32LE(at + 16);
    if (next === 0) break;
    at += next;
  }
  return offsets;
}

/** Parses the parts of a shared object that decide which library versions it needs. */
function readDynamicTables(image) {
  const buffer = asBuffer(image);
  const sections = readSectionHeaders(buffer);
  const dynsym = onlySectionOfType(sections, SHT_DYNSYM, ".dynsym");
  if (!dynsym) throw new Error("ELF_UNSUPPORTED: no dynamic symbol table (.dynsym)");
  const dynstr = sections[dynsym.link];
  if (!dynstr) throw new Error("ELF_MALFORMED: .dynsym links to a missing string table");
  const versym = onlySectionOfType(sections, SHT_GNU_VERSYM, ".gnu.version");
  const verneed = onlySectionOfType(sections, SHT_GNU_VERNEED, ".gnu.version_r");
  const verdef = onlySectionOfType(sections, SHT_GNU_VERDEF, ".gnu.version_d");
  const dynamic = onlySectionOfType(sections, SHT_DYNAMIC, ".dynamic");
  const dynamicEntries = readDynamicEntries(buffer, dynamic);
  checkDynamicAgreesWithSections(dynamicEntries, { dynstr, dynsym, versym, verneed });

  const symbolSize = dynsym.entrySize || SYMBOL_SIZE;
  const symbolCount = Math.floor(dynsym.size / symbolSize);
  if (versym && versym.size < symbolCount * 2) throw new Error("ELF_MALFORMED: .gnu.version is shorter than .dynsym");
  const needs = readVersionNeedsFrom(buffer, verneed, dynstr);
  const versionsByIndex = new Map();
  for (const need of needs) {
    for (const version of need.versions) versionsByIndex.set(version.index, { file: need.file, ...version });
  }

  const symbols = [];
  for (let index = 0; index < symbolCount; index++) {
    const at = dynsym.offset + index * symbolSize;
    const nameOffset = buffer.readUInt32LE(at);
    const versionAt = versym ? versym.offset + index * 2 : -1;
    const versionIndex = versym ? buffer.readUInt16LE(versionAt) & ~VERSYM_HIDDEN : 0;
    const version = versionsByIndex.get(versionIndex);
    symbols.push({
      index,
      offset: at,
      nameOffset,
      name: readCString(buffer, dynstr.offset + nameOffset, "symbol name"),
      defined: buffer.readUInt16LE(at + 6) !== 0,
      versionOffset: versionAt,
      versionIndex,
      version: version ? version.name : undefined,
      library: version ? version.file : undefined,
    });
  }

  const stringTags = new Set([DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH]);
  const otherStringReferences = [
    ...dynamicEntries.filter((entry) => stringTags.has(entry.tag)).map((entry) => Number(entry.value)),
    ...readVersionDefinitionNameOffsets(buffer, verdef),
    ...needs.map((need) => need.fileNameOffset),
  ];
  return { buffer, dynstr, symbols, needs, otherStringReferences };
}

// ---------------------------------------------------------------------------------------------
// What a binary needs
// ---------------------------------------------------------------------------------------------

/** The SysV ELF hash, as stored in vna_hash; the loader compares it before the name. */
export function elfHash(name) {
  let hash = 0;
  for (let position = 0; position < name.length; position++) {
    hash = ((hash << 4) + (name.charCodeAt(position) & 0xff)) >>> 0;
    const high = hash & 0xf0000000;
    if (high !== 0) hash ^= high >>> 24;
    hash = (hash & ~high) >>> 0;
  }
  return hash >>> 0;
}

/** Libraries and version names the binary asks the loader for, e.g. libc.so.6 → GLIBC_2.38. */
export function readVersionNeeds(image) {
  return readDynamicTables(image).needs.map((need) => ({
    file: need.file,
    versions: need.versions.map(({ name, index, hash, flags }) => ({ name, index, hash, flags })),
  }));
}

/** Every undefined dynamic symbol with the library version it is bound to. */
export function readImports(image) {
  return readDynamicTables(image)
    .symbols.filter((symbol) => !symbol.defined && symbol.name !== "")
    .map(({ index, name, version, library }) => ({ index, name, version, library }));
}

/** Orders "2.36"-style version strings numerically; negative when a is older than b. */
export function compareGlibcVersions(a, b) {
  const left = String(a).split(".").map(Number);
  const right = String(b).split(".").map(Number);
  for (let position = 0; position < Math.max(left.length, right.length); position++) {
    const difference = (left[position] ?? 0) - (right[position] ?? 0);
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return 0;
}

/** The newest GLIBC_x.y the binary needs, e.g. "2.38"; undefined when it names none. */
export function requiredGlibc(image) {
  let newest;
  for (const need of readVersionNeeds(image)) {
    for (const version of need.versions) {
      const match = /^GLIBC_(\d+(?:\.\d+)*)$/.exec(version.name);
      if (match && (newest === undefined || compareGlibcVersions(match[1], newest) > 0)) newest = match[1];
    }
  }
  return newest;
}

/** True when a host with this glibc cannot load binaries that need GLIBC_2.38 as shipped. */
export function needsPatch(hostGlibc, required = PATCHED_AWAY_GLIBC) {
  return compareGlibcVersions(hostGlibc, required) < 0;
}

/**
 * What to do with one binary on one host: "leave" when the host already satisfies it, "patch" when
 * the patched binary would load, "unsupported" when even the patched binary needs a newer glibc.
 */
export function choosePlan(hostGlibc, requiredNow, requiredAfterPatch) {
  if (requiredNow === undefined || compareGlibcVersions(hostGlibc, requiredNow) >= 0) return "leave";
  if (requiredAfterPatch !== undefined && compareGlibcVersions(hostGlibc, requiredAfterPatch) < 0) return "unsupported";
  return "patch";
}

// ---------------------------------------------------------------------------------------------
// The patch
// ---------------------------------------------------------------------------------------------

const C23_PREFIX = "__isoc23_";
const C99_PREFIX = "__isoc99_";

// glibc 2.38 headers send these to __isoc23_<name>. Their pre-C23 entry points exist in every
// glibc since 2.7 and differ only in accepting "0b" binary literals. uWS imports the first three;
// the rest of each family gets the same treatment so a rebuild that adds one is still handled.
const PLAIN_SINCE_2_2_5 = new Set([
  "strtol", "strtoul", "strtoll", "strtoull", "strtoimax", "strtoumax",
  "wcstol", "wcstoul", "wcstoll", "wcstoull", "wcstoimax", "wcstoumax",
]);
const ISOC99_SINCE_2_7 = new Set([
  "sscanf", "fscanf", "scanf", "vsscanf", "vfscanf", "vscanf",
  "swscanf", "fwscanf", "wscanf", "vswscanf", "vfwscanf", "vwscanf",
]);

const LIBC = "libc.so.6";
const BASELINE_VERSION = "GLIBC_2.2.5";
const ISOC99_VERSION = "GLIBC_2.7";

/** Offsets into .dynstr that someone else reads; an in-place rewrite must not change them. */
function stringReferencesExcept(tables, ignoredSymbols, ignoredVersions) {
  const references = [...tables.otherStringReferences];
  for (const symbol of tables.symbols) if (!ignoredSymbols.has(symbol)) references.push(symbol.nameOffset);
  for (const need of tables.needs) {
    for (const version of need.versions) if (!ignoredVersions.has(version)) references.push(version.nameOffset);
  }
  return references;
}

/**
 * Overwrites part of a .dynstr string in place, refusing when any other reference (a symbol, a
 * version or a library name that shares the string or its tail) would read a changed byte.
 */
function rewriteStringBytes(tables, references, stringOffset, replacement, what) {
  const { buffer, dynstr } = tables;
  const original = readCString(buffer, dynstr.offset + stringOffset, what);
  if (replacement.length > original.length + 1) throw new Error(`UWS_PATCH_UNSUPPORTED: the new name of ${what} does not fit`);
  const at = dynstr.offset + stringOffset;
  const before = Buffer.from(buffer.subarray(at, at + replacement.length));
  const ranges = changedRanges(before, replacement, at);
  if (ranges.length === 0) return ranges;
  // A reference reads a changed byte when it starts inside the same NUL-terminated run of bytes
  // (possibly before our string, if ours is its tail) at or before the last changed byte.
  let runStart = stringOffset;
  while (runStart > 0 && buffer[dynstr.offset + runStart - 1] !== 0) runStart--;
  const lastChanged = ranges[ranges.length - 1].offset + ranges[ranges.length - 1].length - 1 - dynstr.offset;
  if (references.some((reference) => reference >= runStart && reference <= lastChanged)) {
    throw new Error(`UWS_PATCH_SHARED_STRING: the string of ${what} is shared with another entry; refusing to rewrite it`);
  }
  replacement.copy(buffer, at);
  return ranges;
}

/** The byte ranges where two equally long byte strings differ, as file offsets. */
function changedRanges(before, after, fileOffset) {
  const ranges = [];
  for (let position = 0; position < before.length; position++) {
    if (before[position] === after[position]) continue;
    const last = ranges[ranges.length - 1];
    if (last && last.offset + last.length === fileOffset + position) last.length++;
    else ranges.push({ offset: fileOffset + position, length: 1 });
  }
  return ranges;
}

function writeUInt(buffer, at, value, size) {
  const before = Buffer.from(buffer.subarray(at, at + size));
  if (size === 2) buffer.writeUInt16LE(value, at);
  else buffer.writeUInt32LE(value, at);
  return changedRanges(before, buffer.subarray(at, at + size), at);
}

/**
 * Returns a patched copy of a uWS binary that loads on glibc 2.36, or the untouched copy with
 * `patched: false` when it needs no GLIBC_2.38. The input is never modified. Throws when the binary
 * needs GLIBC_2.38 for something this patch does not know how to redirect.
 *
 * Each change says what was redirected and which file byte ranges it touched.
 */
export function patchElfForOldGlibc(image) {
  const copy = Buffer.from(asBuffer(image));
  const tables = readDynamicTables(copy);

  const libcNeed = tables.needs.find((need) => need.file === LIBC);
  const staleVersions = [];
  for (const need of tables.needs) {
    for (const version of need.versions) {
      if (version.name !== `GLIBC_${PATCHED_AWAY_GLIBC}`) continue;
      if (need !== libcNeed) {
        throw new Error(`UWS_PATCH_UNKNOWN_IMPORT: ${need.file} is needed at GLIBC_${PATCHED_AWAY_GLIBC}; only libc imports can be redirected`);
      }
      staleVersions.push(version);
    }
  }
  if (staleVersions.length === 0) return { patched: false, image: copy, changes: [] };
  if (staleVersions.length > 1) throw new Error("UWS_PATCH_UNSUPPORTED: libc.so.6 names GLIBC_2.38 twice");
  const stale = staleVersions[0];

  const baseline = libcNeed.versions.find((version) => version.name === BASELINE_VERSION);
  const staleImports = tables.symbols.filter((symbol) => symbol.versionIndex === stale.index);
  const unknown = staleImports.filter((symbol) => {
    if (symbol.defined || !symbol.name.startsWith(C23_PREFIX)) return true;
    const plain = symbol.name.slice(C23_PREFIX.length);
    return !PLAIN_SINCE_2_2_5.has(plain) && !ISOC99_SINCE_2_7.has(plain);
  });
  if (unknown.length > 0) {
    const names = unknown.map((symbol) => symbol.name).join(", ");
    throw new Error(`UWS_PATCH_UNKNOWN_IMPORT: ${names} need GLIBC_${PATCHED_AWAY_GLIBC} and have no known older entry point`);
  }
  const needsBaseline = staleImports.some((symbol) => PLAIN_SINCE_2_2_5.has(symbol.name.slice(C23_PREFIX.length)));
  if (needsBaseline && !baseline) throw new Error(`UWS_PATCH_UNSUPPORTED: libc.so.6 is not needed at ${BASELINE_VERSION}`);

  const references = stringReferencesExcept(tables, new Set(staleImports), new Set([stale]));
  const changes = [];
  for (const symbol of staleImports) {
    const plain = symbol.name.slice(C23_PREFIX.length);
    if (PLAIN_SINCE_2_2_5.has(plain)) {
      // "__isoc23_strtol" ends in "strtol": point the symbol at that tail instead of editing the
      // string, which a plain strtol import may already share.
      const bytes = [
        ...writeUInt(copy, symbol.offset, symbol.nameOffset + C23_PREFIX.length, 4),
        ...writeUInt(copy, symbol.versionOffset, baseline.index, 2),
      ];
      changes.push({ symbol: symbol.name, from: `${symbol.name}@${stale.name}`, to: `${plain}@${BASELINE_VERSION}`, bytes });
    } else {
      // Same length, so rewrite the prefix in place; the version entry is renamed below.
      const bytes = rewriteStringBytes(tables, references, symbol.nameOffset, Buffer.from(C99_PREFIX, "latin1"), symbol.name);
      changes.push({ symbol: symbol.name, from: `${symbol.name}@${stale.name}`, to: `${C99_PREFIX}${plain}@${ISOC99_VERSION}`, bytes });
    }
  }

  // "GLIBC_2.7" is one byte shorter than "GLIBC_2.38", so it fits in place with its NUL.
  const renamedVersion = Buffer.from(`${ISOC99_VERSION}\0`, "latin1");
  const versionBytes = [
    ...rewriteStringBytes(tables, references, stale.nameOffset, renamedVersion, stale.name),
    ...writeUInt(copy, stale.offset, elfHash(ISOC99_VERSION), 4),
  ];
  changes.push({ version: stale.name, from: `${LIBC} ${stale.name}`, to: `${LIBC} ${ISOC99_VERSION}`, bytes: versionBytes });
  return { patched: true, image: copy, changes };
}

// ---------------------------------------------------------------------------------------------
// The host
// ---------------------------------------------------------------------------------------------

/** Reads the glibc version from `ldd --version` output; undefined for musl or anything else. */
export function parseLddVersion(output) {
  const firstLine = String(output).split("\n")[0] ?? "";
  if (!/glibc|gnu libc/i.test(firstLine)) return undefined;
  const match = /(\d+\.\d+(?:\.\d+)?)\s*$/.exec(firstLine.trim());
  return match ? match[1] : undefined;
}

/** The glibc version of this host, e.g. "2.36"; undefined when the host has no glibc. */
export function glibcVersion() {
  const report = process.report?.getReport?.();
  const fromReport = report?.header?.glibcVersionRuntime;
  if (typeof fromReport === "string" && fromReport !== "") return fromReport;
  const ldd = spawnSync("ldd", ["--version"], { encoding: "utf8" });
  if (ldd.error) return undefined;
  return parseLddVersion(`${ldd.stdout}${ldd.stderr}`);
}

// ---------------------------------------------------------------------------------------------
// The postinstall run
// ---------------------------------------------------------------------------------------------

function writeFileAtomically(path, bytes, mode) {
  const temporary = `${path}.koto-tmp-${process.pid}`;
  try {
    writeFileSync(temporary, bytes, { mode });
    chmodSync(temporary, mode);
    renameSync(temporary, path);
  } catch (error) {
    if (existsSync(temporary)) unlinkSync(temporary);
    throw error;
  }
}

function linuxX64Binaries(uwsDirectory) {
  return readdirSync(uwsDirectory)
    .filter((name) => /^uws_linux_x64_\d+\.node$/.test(name))
    .sort()
    .map((name) => join(uwsDirectory, name));
}

/** Loads uWebSockets.js in the Node that will run the server, with every import bound up front. */
export function verifyLoads(projectRoot, appNode) {
  const probe = "const uws = require('uWebSockets.js'); uws.App(); console.log(process.version + ' (ABI ' + process.versions.modules + ')');";
  const result = spawnSync(appNode, ["-e", probe], {
    cwd: projectRoot,
    env: { ...process.env, LD_BIND_NOW: "1" },
    encoding: "utf8",
    timeout: 30_000,
  });
  const detail = result.error ? result.error.message : `${result.stderr}`.trim().split("\n").filter(Boolean).slice(-3).join(" | ");
  return { ok: result.status === 0, runtime: `${result.stdout}`.trim(), detail };
}

function defaultAppNode(projectRoot) {
  const pinned = join(projectRoot, "node_modules", ".bin", "node");
  return existsSync(pinned) ? pinned : process.execPath;
}

/**
 * Patches the uWS binaries under projectRoot when the host glibc needs it. Returns what happened to
 * each binary; logs one line per decision. Never throws for an expected situation.
 */
export function run({
  projectRoot,
  platform = process.platform,
  arch = process.arch,
  hostGlibc = glibcVersion(),
  appNode = defaultAppNode(projectRoot),
  log = (line) => console.log(`${LOG_PREFIX} ${line}`),
} = {}) {
  const uwsDirectory = join(projectRoot, "node_modules", "uWebSockets.js");
  const outcome = { action: "none", binaries: [], verified: undefined };
  if (platform !== "linux" || arch !== "x64") {
    log(`${platform}/${arch}: no patch needed (only the linux x64 binaries need glibc 2.38)`);
    return outcome;
  }
  if (!existsSync(uwsDirectory)) {
    log("uWebSockets.js is not installed; nothing to patch");
    return outcome;
  }
  if (hostGlibc === undefined) {
    log("no glibc found on this host (musl?); the prebuilt uWS binaries cannot load: run with TRANSPORT=ws");
    outcome.action = "unsupported";
    return outcome;
  }
  if (!needsPatch(hostGlibc)) {
    log(`glibc ${hostGlibc} >= ${PATCHED_AWAY_GLIBC}: uWS binaries load as shipped; nothing touched`);
    return outcome;
  }

  const unsupported = [];
  const left = [];
  for (const path of linuxX64Binaries(uwsDirectory)) {
    const name = path.slice(uwsDirectory.length + 1);
    try {
      const original = readFileSync(path);
      const requiredNow = requiredGlibc(original);
      const result = patchElfForOldGlibc(original);
      const plan = choosePlan(hostGlibc, requiredNow, requiredGlibc(result.image));
      if (plan === "leave") {
        const history = existsSync(`${path}.orig`) ? "patched earlier, " : "";
        left.push(`${name} (${history}needs glibc ${requiredNow ?? "none"})`);
        outcome.binaries.push({ name, action: "leave" });
        continue;
      }
      if (plan === "unsupported") {
        unsupported.push(`${name} needs glibc ${requiredGlibc(result.image)} even after patching`);
        outcome.binaries.push({ name, action: "unsupported" });
        continue;
      }
      const backup = `${path}.orig`;
      const mode = statSync(path).mode & 0o7777;
      if (!existsSync(backup) || !readFileSync(backup).equals(original)) writeFileAtomically(backup, original, mode);
      writeFileAtomically(path, result.image, mode);
      const byteCount = result.changes.reduce((sum, change) => sum + change.bytes.reduce((total, range) => total + range.length, 0), 0);
      const symbols = result.changes.filter((change) => change.symbol).map((change) => change.to).join(", ");
      log(`${name}: patched ${byteCount} bytes (${symbols}; GLIBC_2.38 need renamed GLIBC_2.7), now needs glibc ${requiredGlibc(result.image)}; backup ${name}.orig`);
      outcome.binaries.push({ name, action: "patched", changes: result.changes });
    } catch (error) {
      log(`${name}: not patched: ${error instanceof Error ? error.message : String(error)}`);
      outcome.binaries.push({ name, action: "failed" });
    }
  }

  if (left.length > 0) log(`left as is on glibc ${hostGlibc}: ${left.join(", ")}`);
  if (unsupported.length > 0) {
    log(`glibc ${hostGlibc} is too old for uWS (${unsupported.join("; ")}): uWS cannot be loaded on this host, run the server with TRANSPORT=ws`);
  }
  outcome.action = outcome.binaries.some((binary) => binary.action === "patched") ? "patched" : unsupported.length > 0 ? "unsupported" : "none";
  if (unsupported.length > 0 && outcome.binaries.every((binary) => binary.action === "unsupported")) return outcome;

  const verification = verifyLoads(projectRoot, appNode);
  outcome.verified = verification.ok;
  if (verification.ok) log(`verified: Node ${verification.runtime} loads uWebSockets.js with LD_BIND_NOW=1`);
  else log(`FAILED: ${appNode} cannot load uWebSockets.js with LD_BIND_NOW=1 (${verification.detail}); run the server with TRANSPORT=ws`);
  return outcome;
}

function isRunDirectly() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(resolve(process.argv[1])) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isRunDirectly()) {
  try {
    run({ projectRoot: resolve(dirname(fileURLToPath(import.meta.url)), "..") });
  } catch (error) {
    // An install must not break over this: the server reports a uWS load failure at start.
    console.log(`${LOG_PREFIX} unexpected error, nothing more done: ${error instanceof Error ? error.message : String(error)}`);
  }
}
