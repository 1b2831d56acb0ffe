#!/usr/bin/env python3
"""Writes normalization.bin, the Unicode data Glassbox's NFC/NFD/NFKC/NFKD normalizers use.

Run with any Python 3: `python3 generate.py` (the data is that of the running Python's `unicodedata`,
whose Unicode version is recorded in the file). Format, zlib-compressed, little-endian:

    b"GBUN", u8 format version (1), u8 length + ASCII Unicode version
    u32 count, then per code point with a non-zero canonical combining class: u24 code point, u8 class
    u32 count, then per code point with a decomposition mapping (Hangul syllables excepted, they are
        algorithmic): u24 code point, u8 flags (bits 0-5 length, bit 6 compatibility mapping, bit 7 the
        code point is a primary composite: canonical composition produces it), then length x u24
"""
import struct
import sys
import unicodedata
import zlib
from pathlib import Path


def u24(value):
    return struct.pack("<I", value)[:3]


def main():
    out = bytearray(b"GBUN")
    out += bytes([1])
    version = unicodedata.unidata_version.encode("ascii")
    out += bytes([len(version)]) + version

    classes = [(cp, unicodedata.combining(chr(cp))) for cp in range(0x110000) if unicodedata.combining(chr(cp))]
    out += struct.pack("<I", len(classes))
    for cp, ccc in classes:
        out += u24(cp) + bytes([ccc])

    mappings = []
    for cp in range(0x110000):
        if 0xAC00 <= cp <= 0xD7A3:
            continue
        fields = unicodedata.decomposition(chr(cp)).split()
        if not fields:
            continue
        compat = fields[0].startswith("<")
        parts = [int(f, 16) for f in (fields[1:] if compat else fields)]
        composite = (not compat and len(parts) == 2
                     and unicodedata.normalize("NFC", "".join(map(chr, parts))) == chr(cp))
        assert 0 < len(parts) < 64
        mappings.append((cp, len(parts) | (0x40 if compat else 0) | (0x80 if composite else 0), parts))
    out += struct.pack("<I", len(mappings))
    for cp, flags, parts in mappings:
        out += u24(cp) + bytes([flags]) + b"".join(u24(p) for p in parts)

    target = Path(__file__).with_name("normalization.bin")
    target.write_bytes(zlib.compress(bytes(out), 9))
    print(f"{target}: Unicode {unicodedata.unidata_version}, {len(classes)} combining classes, "
          f"{len(mappings)} mappings, {len(out)} bytes, {target.stat().st_size} compressed", file=sys.stderr)


if __name__ == "__main__":
    main()
