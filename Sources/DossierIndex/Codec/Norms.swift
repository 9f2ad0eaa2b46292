/// Per-field document lengths (the norms of BM25): exact token counts, stored at the smallest
/// byte width that holds the field's largest length.
///
/// Grammar (`.norm`, kind `NORM`):
///
///     NormFile   := Header FieldCount:vint FieldNorms^FieldCount Footer
///     FieldNorms := Field:u8 Width:u8 Length:uint(Width)^DocCount      (Width in {0, 1, 2, 4})
///
/// One column per text field, in field order; width 0 means every length is 0. Exact lengths
/// rather than Lucene's one-byte lossy norm: they cost at most 4 bytes a document per field
/// (usually 1 or 2) and serve BM25F and `--explain` exactly; `SmallFloat` reproduces Lucene's
/// lossy encoding when a search wants Lucene's scores to the last digit.
package enum _NormsFormat {
  /// Writes the columns (`lengths[i]` for the i-th entry of `fields`).
  package static func write(
    _ directory: any Directory, segment: String, segmentID: UInt64, docCount: Int,
    fields: [FieldNumber], lengths: [[UInt32]]
  ) throws {
    let w = try _IndexFileWriter(directory, name: "\(segment).norm", kind: "NORM", segmentID: segmentID)
    var b = _ByteBuffer()
    b.vint(fields.count)
    for (f, column) in zip(fields, lengths) {
      precondition(column.count == docCount)
      let mx = column.max() ?? 0
      let width = mx == 0 ? 0 : mx <= 0xFF ? 1 : mx <= 0xFFFF ? 2 : 4
      b.u8(f)
      b.u8(UInt8(width))
      switch width {
      case 1: for v in column { b.u8(UInt8(v)) }
      case 2: for v in column { b.u16(UInt16(v)) }
      case 4: for v in column { b.u32(v) }
      default: break
      }
      if b.count > 1 << 16 {
        try w.write(b)
        b.removeAll()
      }
    }
    try w.write(b)
    try w.finish()
  }

  /// Parses the columns of a checked body; returns them by field number.
  package static func parse(
    _ body: UnsafeRawBufferPointer, file: String, docCount: Int, schema: FieldSchema
  ) throws -> [FieldNumber: LengthColumn] {
    var r = _ByteReader(body, file: file)
    let n = try r.vint(max: 255)
    var out: [FieldNumber: LengthColumn] = [:]
    for _ in 0..<n {
      let f = try r.u8()
      guard Int(f) < schema.count, schema[f].hasNorms else {
        throw r.corrupt("norms for field \(f), which has none")
      }
      guard out[f] == nil else { throw r.corrupt("norms for field \(f) twice") }
      let width = Int(try r.u8())
      guard [0, 1, 2, 4].contains(width) else { throw r.corrupt("norm width \(width)") }
      let bytes = try r.bytes(width * docCount)
      out[f] = LengthColumn(base: width == 0 ? nil : bytes.baseAddress, width: width, count: docCount)
    }
    guard r.atEnd else { throw r.corrupt("\(r.remaining) unexpected bytes after the norms") }
    for fi in schema.fields where fi.hasNorms && out[fi.number] == nil {
      throw r.corrupt("no norms for field \(fi.name)")
    }
    return out
  }
}

/// A read-only column of per-document lengths over mapped bytes.
///
///     let len = column[doc]     // O(1), one unaligned load
package struct LengthColumn: @unchecked Sendable {
  let base: UnsafeRawPointer?
  let width: Int
  /// Documents in the column.
  package let count: Int

  /// The length of `doc` (0 past the end).
  @inline(__always) package subscript(_ doc: UInt32) -> UInt32 {
    let d = Int(doc)
    guard d < count, let base else { return 0 }
    switch width {
    case 1: return UInt32(base.load(fromByteOffset: d, as: UInt8.self))
    case 2: return UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * d, as: UInt16.self)))
    default: return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * d, as: UInt32.self))
    }
  }
}

/// Lucene's `SmallFloat.intToByte4`/`byte4ToInt`: the lossy one-byte length norm of Lucene's
/// BM25Similarity (exact below 24, then 4 significant bits). Lets a search reproduce Lucene's
/// scores from exact lengths.
///
///     SmallFloat.byte4ToInt(SmallFloat.intToByte4(1000))   // 984
package enum SmallFloat {
  static func _longToInt4(_ i: UInt64) -> UInt32 {
    let numBits = 64 - i.leadingZeroBitCount
    if numBits < 4 { return UInt32(i) }
    let shift = numBits - 4
    var encoded = UInt32(truncatingIfNeeded: i >> UInt64(shift)) & 0x07
    encoded |= UInt32(shift + 1) << 3
    return encoded
  }
  static func _int4ToLong(_ i: UInt32) -> UInt64 {
    let bits = UInt64(i & 0x07)
    let shift = Int(i >> 3) - 1
    return shift == -1 ? bits : (bits | 0x08) << UInt64(shift)
  }
  static let _numFreeValues: UInt32 = 255 - _longToInt4(UInt64(Int32.max))

  /// The byte Lucene stores for a field of `length` tokens (`length` up to Int32.max).
  package static func intToByte4(_ length: UInt32) -> UInt8 {
    let i = min(length, UInt32(Int32.max))
    if i < _numFreeValues { return UInt8(i) }
    return UInt8(_numFreeValues + _longToInt4(UInt64(i - _numFreeValues)))
  }

  /// The length Lucene decodes from `byte`.
  package static func byte4ToInt(_ byte: UInt8) -> UInt32 {
    let i = UInt32(byte)
    if i < _numFreeValues { return i }
    return UInt32(UInt64(_numFreeValues) + _int4ToLong(i - _numFreeValues))
  }
}
