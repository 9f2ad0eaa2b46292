/// Decodes the scalar at `i` of a UTF-8 buffer, strictly: an invalid, overlong, surrogate or
/// truncated sequence yields U+FFFD with a length of one byte, so that scanning resumes at the
/// next byte and never splits a valid character.
///
/// - Returns: the scalar and its length in bytes (1 to 4). O(1).
@inline(__always)
package func _decodeScalar(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> (scalar: UInt32, length: Int) {
  let b0 = UInt32(p[i])
  if b0 < 0x80 { return (b0, 1) }
  let replacement: (UInt32, Int) = (0xFFFD, 1)
  if b0 < 0xC2 { return replacement }
  if b0 < 0xE0 {
    guard i + 1 < n else { return replacement }
    let b1 = UInt32(p[i + 1])
    guard b1 & 0xC0 == 0x80 else { return replacement }
    return ((b0 & 0x1F) << 6 | (b1 & 0x3F), 2)
  }
  if b0 < 0xF0 {
    guard i + 2 < n else { return replacement }
    let b1 = UInt32(p[i + 1])
    let b2 = UInt32(p[i + 2])
    let lo: UInt32 = b0 == 0xE0 ? 0xA0 : 0x80
    let hi: UInt32 = b0 == 0xED ? 0x9F : 0xBF
    guard b1 >= lo, b1 <= hi, b2 & 0xC0 == 0x80 else { return replacement }
    return ((b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | (b2 & 0x3F), 3)
  }
  if b0 < 0xF5 {
    guard i + 3 < n else { return replacement }
    let b1 = UInt32(p[i + 1])
    let b2 = UInt32(p[i + 2])
    let b3 = UInt32(p[i + 3])
    let lo: UInt32 = b0 == 0xF0 ? 0x90 : 0x80
    let hi: UInt32 = b0 == 0xF4 ? 0x8F : 0xBF
    guard b1 >= lo, b1 <= hi, b2 & 0xC0 == 0x80, b3 & 0xC0 == 0x80 else { return replacement }
    return ((b0 & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | (b3 & 0x3F), 4)
  }
  return replacement
}

/// Appends the UTF-8 encoding of `scalar` (assumed valid) to `out`.
@inline(__always)
package func _appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
  if scalar < 0x80 {
    out.append(UInt8(scalar))
  } else if scalar < 0x800 {
    out.append(UInt8(0xC0 | scalar >> 6))
    out.append(UInt8(0x80 | scalar & 0x3F))
  } else if scalar < 0x10000 {
    out.append(UInt8(0xE0 | scalar >> 12))
    out.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
    out.append(UInt8(0x80 | scalar & 0x3F))
  } else {
    out.append(UInt8(0xF0 | scalar >> 18))
    out.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
    out.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
    out.append(UInt8(0x80 | scalar & 0x3F))
  }
}
