#!/usr/bin/env python3
"""Generates Sources/DossierAnalysis/Generated/UnicodeTables.swift from the Unicode Character
Database files that Debian's `unicode-data` package installs under /usr/share/unicode.

The output holds facts only (property ranges and mappings), in the shape the analyzer's lookup
tables want. Rerun after a Unicode upgrade:

    python3 Scripts/generate-unicode-tables.py [/usr/share/unicode] > Sources/DossierAnalysis/Generated/UnicodeTables.swift
"""
import os
import sys
import unicodedata

UCD = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode"

# Word classes: must match `_WordClass` in Sources/DossierAnalysis/_UnicodeTables.swift.
CLASSES = [
    "other", "cr", "lf", "newline", "extend", "zwj", "regionalIndicator", "format",
    "katakana", "hebrewLetter", "aLetter", "singleQuote", "doubleQuote", "midNumLet",
    "midLetter", "midNum", "numeric", "extendNumLet", "wSegSpace", "ideographic", "hiragana",
    "southeastAsian", "hangul", "pictographic",
]
WB_NAMES = {
    "CR": "cr", "LF": "lf", "Newline": "newline", "Extend": "extend", "ZWJ": "zwj",
    "Regional_Indicator": "regionalIndicator", "Format": "format", "Katakana": "katakana",
    "Hebrew_Letter": "hebrewLetter", "ALetter": "aLetter", "Single_Quote": "singleQuote",
    "Double_Quote": "doubleQuote", "MidNumLet": "midNumLet", "MidLetter": "midLetter",
    "MidNum": "midNum", "Numeric": "numeric", "ExtendNumLet": "extendNumLet",
    "WSegSpace": "wSegSpace",
}


def read_property_file(path):
    """Yields (first, last, value) for each data line of a UCD property file."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = [x.strip() for x in line.split(";")]
            span = fields[0]
            if ".." in span:
                a, b = span.split("..")
                first, last = int(a, 16), int(b, 16)
            else:
                first = last = int(span, 16)
            yield first, last, fields[1:]


def word_classes():
    size = 0x110000
    cls = bytearray(size)
    for first, last, (value, *_) in read_property_file(os.path.join(UCD, "auxiliary/WordBreakProperty.txt")):
        c = CLASSES.index(WB_NAMES[value])
        for cp in range(first, last + 1):
            cls[cp] = c
    scripts = {}
    for first, last, (value, *_) in read_property_file(os.path.join(UCD, "Scripts.txt")):
        if value in ("Han", "Hiragana", "Hangul"):
            for cp in range(first, last + 1):
                scripts[cp] = value
    for cp, script in scripts.items():
        current = CLASSES[cls[cp]]
        if current in ("extend", "format", "zwj"):
            continue
        if script == "Han":
            cls[cp] = CLASSES.index("ideographic")
        elif script == "Hiragana" and current == "other":
            cls[cp] = CLASSES.index("hiragana")
        elif script == "Hangul" and current == "aLetter":
            cls[cp] = CLASSES.index("hangul")
    for first, last, (value, *_) in read_property_file(os.path.join(UCD, "LineBreak.txt")):
        if value != "SA":
            continue
        for cp in range(first, last + 1):
            if CLASSES[cls[cp]] == "other" or CLASSES[cls[cp]] == "aLetter":
                cls[cp] = CLASSES.index("southeastAsian")
    for first, last, (value, *_) in read_property_file(os.path.join(UCD, "emoji/emoji-data.txt")):
        if value != "Extended_Pictographic":
            continue
        for cp in range(first, last + 1):
            if CLASSES[cls[cp]] == "other":
                cls[cp] = CLASSES.index("pictographic")
    ranges = []
    start = 0
    for cp in range(1, size + 1):
        if cp == size or cls[cp] != cls[start]:
            if cls[start] != 0:
                ranges.append((start, cp - 1, cls[start]))
            start = cp
    return ranges


def case_folding():
    folds = {}
    for first, _, (status, mapping, *_) in read_property_file(os.path.join(UCD, "CaseFolding.txt")):
        if status in ("C", "F"):
            folds[first] = [int(x, 16) for x in mapping.split()]
    return folds


def simple_lowercase():
    """The simple lowercase mapping of UnicodeData.txt (what Java's Character.toLowerCase does)."""
    out = {}
    with open(os.path.join(UCD, "UnicodeData.txt"), encoding="utf-8") as f:
        for line in f:
            fields = line.split(";")
            if fields[13]:
                out[int(fields[0], 16)] = [int(fields[13], 16)]
    return out


# Letters without a canonical decomposition that diacritic folding still maps, as Lucene's
# ASCII folding does for the common ones. Keys are already case-folded.
SPECIAL_FOLDS = {
    0x00F8: "o", 0x0111: "d", 0x0142: "l", 0x0127: "h", 0x0167: "t", 0x0131: "i",
    0x00E6: "ae", 0x0153: "oe", 0x00F0: "d", 0x00FE: "th", 0x0180: "b", 0x0188: "c",
    0x0192: "f", 0x0268: "i", 0x0199: "k", 0x019A: "l", 0x01B4: "y", 0x01B6: "z",
}


def diacritic_folds():
    """Maps a (case-folded) Latin or Greek letter with diacritics, and Cyrillic yo, to its base."""
    out = {}
    blocks = [(0x00C0, 0x024F), (0x1E00, 0x1EFF), (0x0370, 0x03FF), (0x1F00, 0x1FFF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF)]
    for lo, hi in blocks:
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if unicodedata.category(ch) not in ("Ll", "Lu", "Lt"):
                continue
            nfd = unicodedata.normalize("NFD", ch)
            base = "".join(c for c in nfd if not (0x0300 <= ord(c) <= 0x036F))
            if base and base != ch and all(unicodedata.category(c)[0] == "L" for c in base):
                out[cp] = [ord(c) for c in base]
    out[0x0451] = [0x0435]  # ё -> е
    out[0x0401] = [0x0415]  # Ё -> Е
    for cp, s in SPECIAL_FOLDS.items():
        out[cp] = [ord(c) for c in s]
    return out


def nfkc_not_yes():
    cps = set()
    for first, last, fields in read_property_file(os.path.join(UCD, "DerivedNormalizationProps.txt")):
        if fields[0] == "NFKC_QC" and fields[1] in ("N", "M"):
            cps.update(range(first, last + 1))
    ranges = []
    for cp in sorted(cps):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return ranges


def emit_u32_array(name, values, doc):
    print(f"/// {doc}")
    print(f"let {name}: [UInt32] = [")
    for i in range(0, len(values), 8):
        print("  " + ", ".join(f"0x{v:06X}" for v in values[i:i + 8]) + ",")
    print("]")
    print()


def emit_mapping(name, mapping, doc):
    keys = sorted(mapping)
    pool = []
    index = []
    for k in keys:
        index.append((len(pool) << 2) | len(mapping[k]))
        pool.extend(mapping[k])
    emit_u32_array(name + "Keys", keys, doc + " Sorted keys.")
    emit_u32_array(name + "Index", index, "For each key: `start << 2 | count` into the pool.")
    emit_u32_array(name + "Pool", pool, "The mapped scalars, one after another.")


def main():
    with open(os.path.join(UCD, "ReadMe.txt"), encoding="utf-8") as f:
        header = next((l.strip("# \n") for l in f if "Date:" in l), "")
    version = unicodedata.unidata_version
    print("// Generated by Scripts/generate-unicode-tables.py from the Unicode Character Database")
    print(f"// in /usr/share/unicode ({header}). Do not edit by hand.")
    print("// swift-format-ignore-file")
    print()
    print(f"/// The Unicode version Python's `unicodedata` reported while generating ({version}).")
    print(f'let _unicodeTablesPythonUnicodeVersion = "{version}"')
    print()
    ranges = word_classes()
    flat = []
    for a, b, c in ranges:
        flat.extend([a, (c << 24) | b])
    emit_u32_array("_wordClassRanges", flat,
                   "Word classes as pairs `first, class << 24 | last` (class 0, other, is left out).")
    emit_mapping("_caseFold", case_folding(), "Full case folding (statuses C and F of CaseFolding.txt).")
    emit_mapping("_lowercase", simple_lowercase(), "Simple lowercase mapping (UnicodeData.txt field 13).")
    emit_mapping("_diacriticFold", diacritic_folds(), "Diacritic folding of case-folded letters.")
    flat = []
    for a, b in nfkc_not_yes():
        flat.extend([a, b])
    emit_u32_array("_nfkcMaybeChangedRanges", flat,
                   "Scalars whose NFKC quick check is No or Maybe, as pairs `first, last`.")


main()
