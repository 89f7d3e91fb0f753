# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Minimal ELF header reader: tells whether an executable is statically linked (no PT_INTERP).

Stdlib only; handles ELFCLASS32/ELFCLASS64 and both byte orders.
"""

from __future__ import annotations

import struct

ELF_MAGIC = b'\x7fELF'
PT_INTERP = 3
PN_XNUM = 0xFFFF

ELF_TYPES = {0: 'none', 1: 'rel', 2: 'exec', 3: 'dyn', 4: 'core'}

ELF_MACHINES = {
    2: 'sparc',
    3: 'i386',
    8: 'mips',
    20: 'ppc',
    21: 'ppc64',
    22: 's390',
    40: 'arm',
    43: 'sparcv9',
    62: 'x86_64',
    183: 'aarch64',
    243: 'riscv',
    258: 'loongarch',
}

# Fields after e_ident (16 bytes).
_EHDR = {
    32: 'HHIIIIIHHHHHH',
    64: 'HHIQQQIHHHHHH',
}

# p_type and p_offset/p_filesz positions differ between the classes.
_PHDR = {
    32: 'IIIIIIII',  # p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align
    64: 'IIQQQQQQ',  # p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align
}

# Section header up to sh_info (used for PN_XNUM only).
_SHDR_HEAD = {
    32: 'IIIIIIII',  # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info
    64: 'IIQQQQII',
}


class ElfError(ValueError):
    """Raised for a file that starts like an ELF file but is truncated or inconsistent."""


def read_at(fobj, offset, size):
    """``size`` bytes at ``offset``; ElfError when the file ends before."""
    fobj.seek(offset)
    data = fobj.read(size)
    if len(data) != size:
        raise ElfError('truncated ELF file: wanted %d bytes at offset %d, got %d' % (size, offset, len(data)))
    return data


def read_elf_info(fobj):
    """Inspect an open binary file object.

    Returns a dict: ``elf`` (bool), ``elf_class`` (32/64 or None), ``endianness`` ('little'/'big' or None),
    ``elf_type``, ``machine``, ``static`` (bool, or None for non-ELF files) and ``interpreter`` (str or None).

    Raises ``ElfError`` for a truncated or malformed ELF file.
    """
    info = {
        'elf': False,
        'elf_class': None,
        'endianness': None,
        'elf_type': None,
        'machine': None,
        'static': None,
        'interpreter': None,
    }
    fobj.seek(0)
    ident = fobj.read(16)
    if len(ident) < 16 or ident[:4] != ELF_MAGIC:
        return info
    elf_class = {1: 32, 2: 64}.get(ident[4])
    if elf_class is None:
        raise ElfError('unsupported ELF class byte %d' % ident[4])
    endian = {1: '<', 2: '>'}.get(ident[5])
    if endian is None:
        raise ElfError('unsupported ELF data encoding byte %d' % ident[5])

    ehdr_fmt = endian + _EHDR[elf_class]
    ehdr = struct.unpack(ehdr_fmt, read_at(fobj, 16, struct.calcsize(ehdr_fmt)))
    (e_type, e_machine, dummy_version, dummy_entry, e_phoff, e_shoff, dummy_flags, dummy_ehsize,
     e_phentsize, e_phnum, e_shentsize, dummy_shnum, dummy_shstrndx) = ehdr

    info.update({
        'elf': True,
        'elf_class': elf_class,
        'endianness': 'little' if endian == '<' else 'big',
        'elf_type': ELF_TYPES.get(e_type, str(e_type)),
        'machine': ELF_MACHINES.get(e_machine, str(e_machine)),
    })

    if e_phnum == PN_XNUM and e_shoff:
        shdr_fmt = endian + _SHDR_HEAD[elf_class]
        if e_shentsize < struct.calcsize(shdr_fmt):
            raise ElfError('section header entry size %d is too small' % e_shentsize)
        e_phnum = struct.unpack(shdr_fmt, read_at(fobj, e_shoff, struct.calcsize(shdr_fmt)))[7]

    phdr_fmt = endian + _PHDR[elf_class]
    phdr_size = struct.calcsize(phdr_fmt)
    interpreter = None
    if e_phnum:
        if e_phentsize < phdr_size:
            raise ElfError('program header entry size %d is too small (need %d)' % (e_phentsize, phdr_size))
        for index in range(e_phnum):
            fields = struct.unpack(phdr_fmt, read_at(fobj, e_phoff + index * e_phentsize, phdr_size))
            if fields[0] != PT_INTERP:
                continue
            if elf_class == 32:
                p_offset, p_filesz = fields[1], fields[4]
            else:
                p_offset, p_filesz = fields[2], fields[5]
            raw = read_at(fobj, p_offset, p_filesz) if p_filesz else b''
            interpreter = raw.split(b'\x00', 1)[0].decode('utf-8', 'replace')
            break
    info['static'] = interpreter is None
    info['interpreter'] = interpreter
    return info


def elf_info_from_path(path):
    """Open ``path`` and return :func:`read_elf_info` for it."""
    with open(path, 'rb') as fobj:
        return read_elf_info(fobj)
