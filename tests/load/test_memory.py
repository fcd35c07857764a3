"""The process's allocator settings (kpt_audit.load.arrow): large blocks handed back when freed."""
from __future__ import annotations

import ctypes
import json
import subprocess
import sys

import pytest

# run in a fresh process: in a long-lived one (a test worker) the heap may have room for the block already,
# and glibc serves a block from room it has, whatever the threshold
PROBE = """
import ctypes, json, sys
from kpt_audit.load.arrow import LARGE_BLOCK, map_large_blocks

class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
libc.malloc.restype, libc.malloc.argtypes, libc.free.argtypes = ctypes.c_void_p, [ctypes.c_size_t], [ctypes.c_void_p]
if sys.argv[1] == "mapped":
    map_large_blocks()
libc.free(libc.malloc(16 << 20))  # a large block freed: glibc's own threshold rises to its size
mapped = libc.mallinfo2().hblks
block = libc.malloc(1 << 20)
own_mapping = libc.mallinfo2().hblks == mapped + 1
libc.free(block)
handed_back = libc.mallinfo2().hblks == mapped
small = libc.malloc(LARGE_BLOCK // 4)
small_mapped = libc.mallinfo2().hblks != mapped
libc.free(small)
print(json.dumps([own_mapping, handed_back, small_mapped]))
"""


def _probe(mode: str) -> list[bool]:
    done = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_a_large_block_is_mapped_on_its_own_even_after_a_larger_one_was_freed():
    """Without the fixed threshold, freeing a 16 MB block raises glibc's threshold to 16 MB, and the next block
    of 1 MB comes from the heap, where its pages stay the process's once freed."""
    if not hasattr(ctypes.CDLL(None), "mallinfo2"):
        pytest.skip("not glibc 2.33 or later")
    own_mapping, handed_back, small_mapped = _probe("mapped")
    assert own_mapping and handed_back  # its own mapping, unmapped as soon as it is freed
    assert not small_mapped  # a small block still comes from the heap
    assert _probe("glibc's own") == [False, True, False]  # what the setting changes
