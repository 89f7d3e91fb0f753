# Copyright (c) 2026, sourcebuilt.docker contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess

import pytest

from ansible_collections.sourcebuilt.docker.plugins.module_utils.elf import (
    ElfError,
    elf_info_from_path,
    read_elf_info,
)


def make_elf(elf_class, endian, interpreter=None, machine=62, extra_phdrs=1, xnum=False):
    """Build a minimal ELF image: header, program headers (PT_LOAD..., optional PT_INTERP) and the interpreter string."""
    order = '<' if endian == 'little' else '>'
    ehdr_size = 52 if elf_class == 32 else 64
    phentsize = 32 if elf_class == 32 else 56
    phdrs = [(1, 0, 0)] * extra_phdrs  # (type, offset, filesz) PT_LOAD
    if interpreter is not None:
        phdrs.insert(0, (3, None, len(interpreter) + 1))
    phnum = len(phdrs)
    phoff = ehdr_size
    shoff = 0
    shentsize = 0
    data_off = phoff + phnum * phentsize
    shdr = b''
    if xnum:
        shoff = data_off
        shentsize = 40 if elf_class == 32 else 64
        if elf_class == 32:
            shdr = struct.pack(order + 'IIIIIIIIII', 0, 0, 0, 0, 0, 0, 0, phnum, 0, 0)
        else:
            shdr = struct.pack(order + 'IIQQQQIIQQ', 0, 0, 0, 0, 0, 0, 0, phnum, 0, 0)
        data_off += len(shdr)
    ident = b'\x7fELF' + bytes([1 if elf_class == 32 else 2, 1 if endian == 'little' else 2, 1]) + b'\x00' * 9
    fields = (2, machine, 1, 0x1000, phoff, shoff, 0, ehdr_size, phentsize, 0xFFFF if xnum else phnum,
              shentsize, 1 if xnum else 0, 0)
    ehdr = ident + struct.pack(order + ('HHIIIIIHHHHHH' if elf_class == 32 else 'HHIQQQIHHHHHH'), *fields)
    assert len(ehdr) == ehdr_size
    body = b''
    for p_type, offset, filesz in phdrs:
        offset = data_off if offset is None else offset
        if elf_class == 32:
            body += struct.pack(order + 'IIIIIIII', p_type, offset, 0, 0, filesz, filesz, 4, 1)
        else:
            body += struct.pack(order + 'IIQQQQQQ', p_type, 4, offset, 0, 0, filesz, filesz, 1)
    tail = (interpreter.encode() + b'\x00') if interpreter is not None else b''
    return ehdr + body + shdr + tail


@pytest.mark.parametrize('elf_class', [32, 64])
@pytest.mark.parametrize('endian', ['little', 'big'])
@pytest.mark.parametrize('interpreter', [None, '/lib/ld-linux-armhf.so.3'])
def test_synthetic(elf_class, endian, interpreter):
    info = read_elf_info(io.BytesIO(make_elf(elf_class, endian, interpreter, machine=8)))
    assert info['elf'] is True
    assert info['elf_class'] == elf_class
    assert info['endianness'] == endian
    assert info['machine'] == 'mips'
    assert info['elf_type'] == 'exec'
    assert info['static'] is (interpreter is None)
    assert info['interpreter'] == interpreter


def test_synthetic_32bit_big_endian_static():
    # A 32-bit big-endian (e.g. ppc/mips) static binary: only PT_LOAD headers.
    info = read_elf_info(io.BytesIO(make_elf(32, 'big', None, machine=20, extra_phdrs=3)))
    assert info == {'elf': True, 'elf_class': 32, 'endianness': 'big', 'elf_type': 'exec', 'machine': 'ppc',
                    'static': True, 'interpreter': None}


@pytest.mark.parametrize('elf_class', [32, 64])
def test_pn_xnum(elf_class):
    info = read_elf_info(io.BytesIO(make_elf(elf_class, 'little', '/lib/ld.so', xnum=True)))
    assert info['interpreter'] == '/lib/ld.so'
    assert info['static'] is False


@pytest.mark.parametrize('data', [b'', b'#!/bin/sh\necho hi\n', b'\x7fEL', b'MZ\x90\x00' * 8])
def test_not_elf(data):
    info = read_elf_info(io.BytesIO(data))
    assert info['elf'] is False
    assert info['static'] is None
    assert info['interpreter'] is None


@pytest.mark.parametrize('data, message', [
    (b'\x7fELF' + bytes([3, 1, 1]) + b'\x00' * 9 + b'\x00' * 48, 'class'),
    (b'\x7fELF' + bytes([2, 7, 1]) + b'\x00' * 9 + b'\x00' * 48, 'data encoding'),
    (b'\x7fELF' + bytes([2, 1, 1]) + b'\x00' * 9 + b'\x00' * 10, 'truncated'),
])
def test_malformed(data, message):
    with pytest.raises(ElfError, match=message):
        read_elf_info(io.BytesIO(data))


def test_truncated_program_headers():
    data = make_elf(64, 'little', '/lib/ld.so')
    with pytest.raises(ElfError, match='truncated'):
        read_elf_info(io.BytesIO(data[:80]))


def test_real_dynamic_binary():
    path = '/bin/ls'
    if not os.path.exists(path):
        pytest.skip('/bin/ls not present')
    info = elf_info_from_path(path)
    assert info['elf'] is True
    assert info['static'] is False
    assert info['interpreter'] and 'ld' in info['interpreter']


def test_real_static_binary(tmp_path):
    gcc = shutil.which('gcc')
    if not gcc:
        pytest.skip('gcc not available')
    src = tmp_path / 'hello.c'
    src.write_text('int main(void) { return 0; }\n')
    out = tmp_path / 'hello'
    proc = subprocess.run([gcc, '-static', '-o', str(out), str(src)], capture_output=True, check=False)
    if proc.returncode != 0:
        pytest.skip('gcc -static failed (no static libc?): %s' % proc.stderr.decode(errors='replace')[:200])
    info = elf_info_from_path(str(out))
    assert info['elf'] is True
    assert info['static'] is True
    assert info['interpreter'] is None


def test_python_script_is_not_elf(tmp_path):
    script = tmp_path / 'script'
    script.write_text('#!/bin/sh\nexit 0\n')
    assert elf_info_from_path(str(script))['elf'] is False
