/// A growable little-endian byte buffer with LEB128 variable-length integers: how every format
/// writer builds its bytes before handing them to a file.
///
///     var b = _ByteBuffer()
///     b.u32(7); b.vint(300)      // 07 00 00 00 AC 02
///
/// Cost: amortized O(1) per byte.
package struct _ByteBuffer: Sendable {
  package var bytes: [UInt8] = []

  package init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

  package var count: Int { bytes.count }
  package mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

  @inline(__always) package mutating func u8(_ v: UInt8) { bytes.append(v) }
  package mutating func u16(_ v: UInt16) {
    bytes.append(UInt8(truncatingIfNeeded: v)); bytes.append(UInt8(v >> 8))
  }
  package mutating func u32(_ v: UInt32) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }
  package mutating func u64(_ v: UInt64) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }
  package mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
  /// LEB128: 7 bits a byte, low bits first, high bit set on all but the last byte.
  @inline(__always) package mutating func vint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }
  @inline(__always) package mutating func vint(_ value: UInt32) { vint(UInt64(value)) }
  @inline(__always) package mutating func vint(_ value: Int) { vint(UInt64(value)) }
  package mutating func append(_ b: [UInt8]) { bytes.append(contentsOf: b) }
  package mutating func append(_ b: UnsafeRawBufferPointer) { bytes.append(contentsOf: b) }
  package mutating func append(_ b: ArraySlice<UInt8>) { bytes.append(contentsOf: b) }
  /// A length-prefixed byte string: vint length, bytes.
  package mutating func string(_ s: String) {
    let u = Array(s.utf8)
    vint(u.count)
    append(u)
  }
}

/// Reads a format from mapped bytes, throwing `IndexError.corrupt` (naming `file`) instead of
/// reading out of bounds.
///
///     var r = _ByteReader(bytes, file: "seg_1.si")
///     let n = try r.u32(); let len = try r.vint()
///
/// Cost: one bounds check per read.
package struct _ByteReader {
  package let base: UnsafeRawBufferPointer
  package var pos: Int
  package let file: String

  package init(_ base: UnsafeRawBufferPointer, at pos: Int = 0, file: String) {
    self.base = base
    self.pos = pos
    self.file = file
  }

  package var remaining: Int { base.count - pos }
  package var atEnd: Bool { pos >= base.count }

  package func corrupt(_ detail: String) -> IndexError { .corrupt(file: file, detail: detail) }

  @inline(__always) mutating func _need(_ n: Int) throws {
    if n < 0 || pos > base.count - n { throw corrupt("truncated: need \(n) bytes at offset \(pos)") }
  }
  package mutating func u8() throws -> UInt8 {
    try _need(1)
    defer { pos += 1 }
    return base[pos]
  }
  package mutating func u16() throws -> UInt16 {
    try _need(2)
    defer { pos += 2 }
    return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt16.self))
  }
  package mutating func u32() throws -> UInt32 {
    try _need(4)
    defer { pos += 4 }
    return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt32.self))
  }
  package mutating func u64() throws -> UInt64 {
    try _need(8)
    defer { pos += 8 }
    return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: pos, as: UInt64.self))
  }
  package mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
  package mutating func vint() throws -> UInt64 {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      try _need(1)
      let b = base[pos]
      pos += 1
      if shift == 63 && b > 1 { throw corrupt("variable-length integer overflows at offset \(pos - 1)") }
      result |= UInt64(b & 0x7F) << shift
      if b < 0x80 { return result }
      shift += 7
      if shift > 63 { throw corrupt("variable-length integer too long at offset \(pos - 1)") }
    }
  }
  /// A vint that must fit in `Int` and be at most `limit`.
  package mutating func vint(max limit: Int) throws -> Int {
    let v = try vint()
    if v > UInt64(limit) { throw corrupt("value \(v) over its limit \(limit) at offset \(pos)") }
    return Int(v)
  }
  package mutating func bytes(_ n: Int) throws -> UnsafeRawBufferPointer {
    try _need(n)
    defer { pos += n }
    return UnsafeRawBufferPointer(rebasing: base[pos..<pos + n])
  }
  package mutating func string() throws -> String {
    let n = try vint(max: 1 << 20)
    return String(decoding: try bytes(n), as: UTF8.self)
  }
}

/// LEB128 decoding without bounds checks beyond `end`, for hot loops over checked data: returns
/// the value and the new offset, or `nil` if the bytes run out first.
@inline(__always)
func _readVInt(_ base: UnsafeRawBufferPointer, _ pos: inout Int) -> UInt64? {
  var result: UInt64 = 0
  var shift: UInt64 = 0
  let n = base.count
  while pos < n {
    let b = base[pos]
    pos += 1
    result |= UInt64(b & 0x7F) << (shift & 63)
    if b < 0x80 { return result }
    shift += 7
    if shift > 63 { return nil }
  }
  return nil
}
