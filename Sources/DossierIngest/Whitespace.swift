/// Whitespace normalization shared by the extractors.
package enum Whitespace {
  /// Collapses every run of whitespace (ASCII and Unicode spaces, line and paragraph
  /// separators) into one ASCII space and trims both ends. Zero-width no-break spaces and
  /// NUL bytes are dropped.
  ///
  /// ```swift
  /// Whitespace.normalize("  a\u{00A0}\n b ")   // "a b"
  /// ```
  ///
  /// Cost: one pass over the UTF-8 bytes and one allocation.
  package static func normalize(_ text: String) -> String {
    var text = text
    return text.withUTF8 { normalize(bytes: $0) }
  }

  /// The same over raw UTF-8 bytes (which must be valid UTF-8).
  package static func normalize(bytes src: UnsafeBufferPointer<UInt8>) -> String {
    // Written straight into the string's storage (the output is never longer than the input).
    String(unsafeUninitializedCapacity: max(1, src.count)) { out in
      var count = 0
      var pendingSpace = false
      var i = 0
      let n = src.count
      while i < n {
        let b = src[i]
        var width = 0  // bytes of whitespace at i, 0 when not whitespace
        var drop = 0  // bytes to drop silently
        if b < 0x80 {
          if b > 0x20 {
            // The common case: a visible ASCII byte.
            if pendingSpace {
              out[count] = 0x20
              count += 1
              pendingSpace = false
            }
            out[count] = b
            count += 1
            i += 1
            continue
          }
          if b == 0x20 || (b >= 0x09 && b <= 0x0D) { width = 1 } else if b == 0 { drop = 1 }
        } else if b == 0xC2, i + 1 < n, src[i + 1] == 0xA0 || src[i + 1] == 0x85 {
          width = 2
        } else if b == 0xE1, i + 2 < n, src[i + 1] == 0x9A, src[i + 2] == 0x80 {
          width = 3
        } else if b == 0xE2, i + 2 < n {
          let b1 = src[i + 1]
          let b2 = src[i + 2]
          if b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) { width = 3 }
          if b1 == 0x81 && b2 == 0x9F { width = 3 }
          if b1 == 0x80 && b2 == 0x8B { drop = 3 }  // zero width space
        } else if b == 0xE3, i + 2 < n, src[i + 1] == 0x80, src[i + 2] == 0x80 {
          width = 3
        } else if b == 0xEF, i + 2 < n, src[i + 1] == 0xBB, src[i + 2] == 0xBF {
          drop = 3
        }
        if width > 0 {
          pendingSpace = count > 0
          i += width
          continue
        }
        if drop > 0 {
          i += drop
          continue
        }
        if pendingSpace {
          out[count] = 0x20
          count += 1
          pendingSpace = false
        }
        out[count] = b
        count += 1
        i += 1
      }
      return count
    }
  }
}
