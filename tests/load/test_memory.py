"""The process's allocator settings (kpt_audit.load.arrow): large blocks handed back when freed."""
from __future__ import annotations

import ctypes

import pytest

from kpt_audit.load.arrow import LARGE_BLOCK, map_large_blocks


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def _libc():
    libc = ctypes.CDLL(None)
    if not hasattr(libc, "mallinfo2"):
        pytest.skip("not glibc 2.33 or later")
    libc.mallinfo2.restype = _MallInfo2
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    return libc


def test_a_large_block_is_mapped_on_its_own_even_after_a_larger_one_was_freed():
    """Without the fixed threshold, freeing a 16 MB block raises glibc's threshold to 16 MB and the next
    block of 1 MB comes from the heap, where its pages stay the process's once freed."""
    libc = _libc()
    map_large_blocks()
    libc.free(libc.malloc(16 << 20))
    mapped = libc.mallinfo2().hblks
    block = libc.malloc(1 << 20)
    try:
        assert libc.mallinfo2().hblks == mapped + 1
    finally:
        libc.free(block)
    assert libc.mallinfo2().hblks == mapped  # unmapped, handed back, as soon as it is freed
    small = libc.malloc(LARGE_BLOCK // 4)  # a small block still comes from the heap
    try:
        assert libc.mallinfo2().hblks == mapped
    finally:
        libc.free(small)
