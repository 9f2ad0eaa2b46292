/// Numeric doc values (the publication date as days since 1970-01-01): a column for sorting and
/// reading a document's value, plus the documents sorted by value for range queries.
///
/// Grammar (`.num`, kind `NUMS`):
///
///     NumFile      := Header FieldCount:vint NumericField^FieldCount Footer
///     NumericField := Field:u8 Min:i64 Width:u8 Code:uint(Width)^DocCount
///                     ValueCount:u32 SortedDoc:u32^ValueCount
///
/// `Code` is `value - Min + 1`, or 0 for a document without a value; `Width` (0, 1, 2, 4 or 8
/// bytes) is the smallest that holds the largest code. `SortedDoc` lists the documents that have
/// a value, ordered by (value, doc): a range query is two binary searches over it.
package enum _NumericFormat {
  /// Writes the columns; `values[i][doc]` is the value of `fields[i]` for `doc`, or nil.
  package static func write(
    _ directory: any Directory, segment: String, segmentID: UInt64, docCount: Int,
    fields: [FieldNumber], values: [[Int64?]]
  ) throws {
    let w = try _IndexFileWriter(directory, name: "\(segment).num", kind: "NUMS", segmentID: segmentID)
    var b = _ByteBuffer()
    b.vint(fields.count)
    for (f, column) in zip(fields, values) {
      precondition(column.count == docCount)
      let present = column.compactMap { $0 }
      let mn = present.min() ?? 0
      let mx = present.max() ?? 0
      let span = UInt64(bitPattern: mx &- mn)
      precondition(span < UInt64.max, "numeric values may not span the whole Int64 range")
      let maxCode = present.isEmpty ? 0 : span + 1
      let width =
        maxCode == 0 ? 0 : maxCode <= 0xFF ? 1 : maxCode <= 0xFFFF ? 2 : maxCode <= 0xFFFF_FFFF ? 4 : 8
      b.u8(f)
      b.i64(mn)
      b.u8(UInt8(width))
      for v in column {
        let code: UInt64 = v.map { UInt64(bitPattern: $0 &- mn) + 1 } ?? 0
        switch width {
        case 1: b.u8(UInt8(code))
        case 2: b.u16(UInt16(code))
        case 4: b.u32(UInt32(code))
        case 8: b.u64(code)
        default: break
        }
      }
      var sorted = (0..<UInt32(docCount)).filter { column[Int($0)] != nil }
      sorted.sort { (column[Int($0)]!, $0) < (column[Int($1)]!, $1) }
      b.u32(UInt32(sorted.count))
      for d in sorted { b.u32(d) }
    }
    try w.write(b)
    try w.finish()
  }

  /// Parses the columns of a checked body, by field number.
  package static func parse(
    _ body: UnsafeRawBufferPointer, file: String, docCount: Int, schema: FieldSchema
  ) throws -> [FieldNumber: NumericColumn] {
    var r = _ByteReader(body, file: file)
    let n = try r.vint(max: 255)
    var out: [FieldNumber: NumericColumn] = [:]
    for _ in 0..<n {
      let f = try r.u8()
      guard Int(f) < schema.count, schema[f].kind == .numeric else {
        throw r.corrupt("numeric column for field \(f), which is not numeric")
      }
      guard out[f] == nil else { throw r.corrupt("numeric column for field \(f) twice") }
      let mn = try r.i64()
      let width = Int(try r.u8())
      guard [0, 1, 2, 4, 8].contains(width) else { throw r.corrupt("numeric width \(width)") }
      let codes = try r.bytes(width * docCount)
      let count = Int(try r.u32())
      guard count <= docCount else { throw r.corrupt("\(count) values for \(docCount) docs") }
      let sorted = try r.bytes(4 * count)
      out[f] = NumericColumn(
        min: mn, width: width, codes: width == 0 ? nil : codes.baseAddress, docCount: docCount,
        sortedDocs: count == 0 ? nil : sorted.baseAddress, valueCount: count)
    }
    guard r.atEnd else { throw r.corrupt("\(r.remaining) unexpected bytes after the columns") }
    for fi in schema.fields where fi.kind == .numeric && out[fi.number] == nil {
      throw r.corrupt("no column for field \(fi.name)")
    }
    return out
  }
}

/// One numeric field of a segment, read from mapped bytes.
///
///     column[doc]                      // Int64? in O(1)
///     column.docs(in: 18262...18627)   // docs with a value in the range, ascending
///
/// Cost of `docs(in:)`: O(log n + hits log hits).
package struct NumericColumn: @unchecked Sendable {
  let min: Int64
  let width: Int
  let codes: UnsafeRawPointer?
  /// Documents in the segment.
  package let docCount: Int
  let sortedDocs: UnsafeRawPointer?
  /// Documents that have a value.
  package let valueCount: Int

  /// The value of `doc`, or nil.
  @inline(__always) package subscript(_ doc: UInt32) -> Int64? {
    let d = Int(doc)
    guard d < docCount, let codes else { return nil }
    let code: UInt64
    switch width {
    case 1: code = UInt64(codes.load(fromByteOffset: d, as: UInt8.self))
    case 2: code = UInt64(UInt16(littleEndian: codes.loadUnaligned(fromByteOffset: 2 * d, as: UInt16.self)))
    case 4: code = UInt64(UInt32(littleEndian: codes.loadUnaligned(fromByteOffset: 4 * d, as: UInt32.self)))
    default: code = UInt64(littleEndian: codes.loadUnaligned(fromByteOffset: 8 * d, as: UInt64.self))
    }
    return code == 0 ? nil : min &+ Int64(bitPattern: code &- 1)
  }

  /// The i-th document in (value, doc) order.
  @inline(__always) package func sortedDoc(_ i: Int) -> UInt32 {
    UInt32(littleEndian: sortedDocs!.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
  }

  private func _lowerBound(_ v: Int64) -> Int {
    var lo = 0
    var hi = valueCount
    while lo < hi {
      let mid = (lo + hi) / 2
      if (self[sortedDoc(mid)] ?? .min) < v { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// The documents whose value lies in `range`, ascending by doc id.
  package func docs(in range: ClosedRange<Int64>) -> [UInt32] {
    guard valueCount > 0 else { return [] }
    let lo = _lowerBound(range.lowerBound)
    let hi = range.upperBound == .max ? valueCount : _lowerBound(range.upperBound + 1)
    guard lo < hi else { return [] }
    return (lo..<hi).map { sortedDoc($0) }.sorted()
  }
}
