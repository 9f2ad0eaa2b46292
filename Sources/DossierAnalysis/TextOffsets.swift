/// Maps UTF-8 byte offsets of a text to character offsets, for display and for programs whose
/// strings count differently (JavaScript and Java count UTF-16 units; Python counts scalars).
///
///     let offsets = TextOffsets("Ñandú 東京")
///     offsets.scalarOffset(ofByte: 7)    // 5 ("Ñandú" is 7 bytes, 5 scalars)
///     offsets.utf16Offset(ofByte: 7)     // 5
///
/// Built in O(n) once per text; each lookup is O(log n). An offset inside a character maps to
/// the start of that character.
public struct TextOffsets: Sendable {
  /// Byte offsets at which a scalar starts, every 64th scalar (a sparse index).
  var checkpoints: [(byte: Int, scalar: Int, utf16: Int)] = []
  let bytes: [UInt8]

  public init(_ text: String) {
    bytes = Array(text.utf8)
    var scalar = 0
    var utf16 = 0
    var i = 0
    bytes.withUnsafeBufferPointer { b in
      while i < b.count {
        if scalar % 64 == 0 { checkpoints.append((i, scalar, utf16)) }
        let (s, l) = _decodeScalar(b.baseAddress!, i, b.count)
        scalar += 1
        utf16 += s > 0xFFFF ? 2 : 1
        i += l
      }
    }
    checkpoints.append((bytes.count, scalar, utf16))
  }

  /// The number of Unicode scalars before `byte`.
  public func scalarOffset(ofByte byte: Int) -> Int { walk(to: byte).scalar }

  /// The number of UTF-16 code units before `byte`.
  public func utf16Offset(ofByte byte: Int) -> Int { walk(to: byte).utf16 }

  func walk(to byte: Int) -> (scalar: Int, utf16: Int) {
    let target = max(0, min(byte, bytes.count))
    var lo = 0
    var hi = checkpoints.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if checkpoints[mid].byte <= target { lo = mid } else { hi = mid - 1 }
    }
    var (i, scalar, utf16) = checkpoints[lo]
    bytes.withUnsafeBufferPointer { b in
      while i < target {
        let (s, l) = _decodeScalar(b.baseAddress!, i, b.count)
        if i + l > target { break }
        scalar += 1
        utf16 += s > 0xFFFF ? 2 : 1
        i += l
      }
    }
    return (scalar, utf16)
  }
}
