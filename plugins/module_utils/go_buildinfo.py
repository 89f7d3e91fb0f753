# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Go build information of an ELF executable, what ``go version -m`` prints: the Go version, the main package,
the main module and every module the binary was built from, with its replacement and go.sum hash.

Read as Go's own debug/buildinfo reads it (src/debug/buildinfo/buildinfo.go, src/runtime/debug/mod.go): the
32-byte header that starts with ``\\xff Go buildinf:`` at a 16-byte boundary in the first 64 KiB of the
``.go.buildinfo`` section (else of the first writable, not executable PT_LOAD segment), then, for Go 1.18 and
later (flag 0x2), two varint-prefixed strings: the Go version and the module information between two 16-byte
sentinels. Go before 1.18 stored two pointers instead; those binaries are reported, not read.

Stdlib only; ELFCLASS32/ELFCLASS64 and both byte orders.
"""

from __future__ import annotations

import struct

from ansible_collections.sourcebuilt.docker.plugins.module_utils.elf import ELF_MAGIC, PN_XNUM, ElfError, read_at

GO_BUILDINFO_MAGIC = b'\xff Go buildinf:'
_ALIGN = 16
_HEADER_SIZE = 32
_SEARCH_SIZE = 64 * 1024
_FLAG_INLINE = 0x2
PT_LOAD = 1
PF_X = 0x1
PF_W = 0x2
SHN_XINDEX = 0xFFFF

_EHDR = {32: 'HHIIIIIHHHHHH', 64: 'HHIQQQIHHHHHH'}
# type, offset, vaddr, filesz, flags as the positions of each class's program header fields.
_PHDR = {32: ('IIIIIIII', 0, 1, 2, 4, 6), 64: ('IIQQQQQQ', 0, 2, 3, 5, 1)}
# sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize
_SHDR = {32: 'IIIIIIIIII', 64: 'IIQQQQIIQQ'}


class GoBuildInfoError(ElfError):
    """A Go executable whose build information this reader cannot read (malformed, or Go before 1.18)."""


def _layout(fobj):
    """The PT_LOAD segments (vaddr, filesz, offset, flags) and the address of .go.buildinfo (or None); None for a
    file that is not ELF."""
    fobj.seek(0)
    ident = fobj.read(16)
    if len(ident) < 16 or ident[:4] != ELF_MAGIC:
        return None
    elf_class = {1: 32, 2: 64}.get(ident[4])
    endian = {1: '<', 2: '>'}.get(ident[5])
    if elf_class is None or endian is None:
        raise ElfError('unsupported ELF class %d or data encoding %d' % (ident[4], ident[5]))
    ehdr_fmt = endian + _EHDR[elf_class]
    fields = struct.unpack(ehdr_fmt, read_at(fobj, 16, struct.calcsize(ehdr_fmt)))
    e_phoff, e_shoff = fields[4], fields[5]
    e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx = fields[8:]

    sections = []
    if e_shoff:
        shdr_fmt = endian + _SHDR[elf_class]
        shdr_size = struct.calcsize(shdr_fmt)
        if e_shentsize < shdr_size:
            raise ElfError('section header entry size %d is too small (need %d)' % (e_shentsize, shdr_size))
        first = struct.unpack(shdr_fmt, read_at(fobj, e_shoff, shdr_size))
        # Counts and indexes that do not fit the ELF header are kept in section 0.
        e_shnum = e_shnum or first[5]
        e_shstrndx = first[6] if e_shstrndx == SHN_XINDEX else e_shstrndx
        e_phnum = first[7] if e_phnum == PN_XNUM else e_phnum
        table = read_at(fobj, e_shoff, e_shnum * e_shentsize)
        sections = [struct.unpack_from(shdr_fmt, table, index * e_shentsize) for index in range(e_shnum)]
    buildinfo_addr = None
    if sections and e_shstrndx < len(sections):
        names = read_at(fobj, sections[e_shstrndx][4], sections[e_shstrndx][5])
        for section in sections:
            if names[section[0]:names.find(b'\x00', section[0])] == b'.go.buildinfo':
                buildinfo_addr = section[3]
                break

    phdr_fmt, p_type, p_offset, p_vaddr, p_filesz, p_flags = _PHDR[elf_class]
    phdr_fmt = endian + phdr_fmt
    phdr_size = struct.calcsize(phdr_fmt)
    segments = []
    if e_phnum:
        if e_phentsize < phdr_size:
            raise ElfError('program header entry size %d is too small (need %d)' % (e_phentsize, phdr_size))
        table = read_at(fobj, e_phoff, e_phnum * e_phentsize)
        for index in range(e_phnum):
            phdr = struct.unpack_from(phdr_fmt, table, index * e_phentsize)
            if phdr[p_type] == PT_LOAD and phdr[p_filesz]:
                segments.append((phdr[p_vaddr], phdr[p_filesz], phdr[p_offset], phdr[p_flags]))
    if buildinfo_addr is None:
        buildinfo_addr = next((vaddr for vaddr, filesz, offset, flags in segments if flags & (PF_X | PF_W) == PF_W), None)
    return segments, buildinfo_addr


def _read_data(fobj, segments, addr, size):
    """Up to ``size`` bytes at virtual address ``addr``, from the PT_LOAD segment that holds it."""
    for vaddr, filesz, offset, dummy_flags in segments:
        if vaddr <= addr < vaddr + filesz:
            return read_at(fobj, offset + addr - vaddr, min(size, vaddr + filesz - addr))
    raise GoBuildInfoError('address 0x%x of the Go build information is in no loaded segment' % addr)


def _read_string(fobj, segments, addr):
    """The varint-prefixed string at ``addr`` and the address after it."""
    head = _read_data(fobj, segments, addr, 10)
    length, shift, used = 0, 0, 0
    for byte in head:
        used += 1
        length |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            break
    else:
        raise GoBuildInfoError('bad string length in the Go build information')
    data = _read_data(fobj, segments, addr + used, length) if length else b''
    if len(data) != length:
        raise GoBuildInfoError('a string of the Go build information runs past its segment')
    return data, addr + used + length


def _module(columns, line):
    if len(columns) not in (2, 3):
        raise GoBuildInfoError('line %d of the Go module information: expected 2 or 3 columns, got %d' % (line, len(columns)))
    return {'path': columns[0], 'version': columns[1], 'sum': columns[2] if len(columns) == 3 else '', 'replace': None}


def parse_modinfo(text):
    """The module information text (the lines of ``go version -m`` after its first) -> dict ``path`` (the main
    package), ``main`` (the main module, or None for a GOPATH build), ``deps`` (list of modules: ``path``,
    ``version``, ``sum``, ``replace``: None or a module) and ``settings`` (the ``build`` lines, ``key=value``)."""
    info = {'path': '', 'main': None, 'deps': [], 'settings': []}
    last = None
    # As Go's ParseBuildInfo: only complete lines count.
    for number, line in enumerate(text.split('\n')[:-1], start=1):
        word, dummy_tab, rest = line.partition('\t')
        columns = rest.split('\t')
        if word == 'path':
            info['path'] = rest
        elif word == 'mod':
            last = info['main'] = _module(columns, number)
        elif word == 'dep':
            last = _module(columns, number)
            info['deps'].append(last)
        elif word == '=>':
            if len(columns) != 3:
                raise GoBuildInfoError('line %d of the Go module information: expected 3 columns for a replacement, got %d'
                                       % (number, len(columns)))
            if last is None:
                raise GoBuildInfoError('line %d of the Go module information: a replacement with no module before it' % number)
            last['replace'] = {'path': columns[0], 'version': columns[1], 'sum': columns[2]}
            last = None
        elif word == 'build':
            info['settings'].append(rest)
    return info


def read_go_buildinfo(fobj):
    """The Go build information of an open ELF file: a dict ``go_version`` plus what :func:`parse_modinfo` returns;
    None for a file that is not ELF or has no Go build information (a C program).

    Raises ``ElfError`` for a truncated or malformed file, ``GoBuildInfoError`` for build information it cannot read."""
    layout = _layout(fobj)
    if layout is None or layout[1] is None:
        return None
    segments, start = layout
    try:
        data = _read_data(fobj, segments, start, _SEARCH_SIZE)
    except GoBuildInfoError:
        return None
    at = data.find(GO_BUILDINFO_MAGIC)
    while at >= 0 and at % _ALIGN:
        at = data.find(GO_BUILDINFO_MAGIC, at + 1)
    if at < 0 or len(data) - at < _HEADER_SIZE:
        return None
    if not data[at + 15] & _FLAG_INLINE:
        raise GoBuildInfoError('built by Go before 1.18, whose build information this reader does not read')
    version, after = _read_string(fobj, segments, start + at + _HEADER_SIZE)
    modinfo, dummy_after = _read_string(fobj, segments, after)
    if not version:
        return None
    # The module information sits between two 16-byte sentinels (cmd/go/internal/modload infoStart, infoEnd).
    modinfo = modinfo[16:-16] if len(modinfo) >= 33 and modinfo[-17:-16] == b'\n' else b''
    info = {'go_version': version.decode('utf-8', 'replace')}
    info.update(parse_modinfo(modinfo.decode('utf-8', 'replace')))
    return info


def go_buildinfo_from_path(path):
    """Open ``path`` and return :func:`read_go_buildinfo` for it."""
    with open(path, 'rb') as fobj:
        return read_go_buildinfo(fobj)
