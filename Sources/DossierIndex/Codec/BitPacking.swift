/// Bit-packing of blocks of 128 unsigned 32-bit integers, the heart of the postings format.
///
/// Grammar:
///
///     PackedBlock(w) := byte[16 * w]      128 values of w bits each (0 <= w <= 32), value i
///                                         in bits [i*w, i*w + w) of the little-endian bit
///                                         stream (bit k is bit k%8 of byte k/8)
///
/// A block of width 0 takes no bytes (all values zero). Unpacking is one unaligned 64-bit load,
/// shift and mask per value, specialized for each width so the compiler folds the constants
/// (about 0.1-0.2 ns per value here); it reads up to 7 bytes past the block, so callers pass a
/// buffer with 8 bytes of slack or use the checked entry point, which copies near the end.
///
///     var packed = _ByteBuffer()
///     _BitPacking.pack128(values, width: 5, into: &packed)     // 80 bytes
///     _BitPacking.unpack128(packed.bytes, at: 0, width: 5, into: out)
package enum _BitPacking {
  /// Values per packed block.
  package static let blockSize = 128

  /// The number of bits needed for `v` (0 for 0).
  @inline(__always) package static func bitWidth(_ v: UInt32) -> Int { 32 - v.leadingZeroBitCount }

  /// The bytes a block of 128 values at `width` bits takes.
  @inline(__always) package static func packedSize(width: Int) -> Int { 16 * width }

  /// The width needed for the 128 values at `values`.
  package static func requiredWidth(_ values: UnsafePointer<UInt32>) -> Int {
    var acc: UInt32 = 0
    for i in 0..<128 { acc |= values[i] }
    return bitWidth(acc)
  }

  /// Appends the 128 values at `values`, each of which must fit in `width` bits.
  package static func pack128(_ values: UnsafePointer<UInt32>, width: Int, into out: inout _ByteBuffer) {
    precondition(width >= 0 && width <= 32)
    if width == 0 { return }
    var acc: UInt64 = 0
    var nbits = 0
    let start = out.bytes.count
    out.bytes.reserveCapacity(start + 16 * width)
    for i in 0..<128 {
      acc |= UInt64(values[i]) << UInt64(nbits)
      nbits += width
      while nbits >= 8 {
        out.bytes.append(UInt8(truncatingIfNeeded: acc))
        acc >>= 8
        nbits -= 8
      }
    }
    assert(nbits == 0 && out.bytes.count == start + 16 * width)
  }

  /// Unpacks 128 values of `width` bits from `src`; `src` must have 16 * width + 8 readable bytes.
  @inline(__always)
  package static func unpack128Unchecked(
    _ src: UnsafeRawPointer, width: Int, into out: UnsafeMutablePointer<UInt32>
  ) {
    switch width {
    case 0: out.update(repeating: 0, count: 128)
    case 1: _unpackFixed(src, out, 1)
    case 2: _unpackFixed(src, out, 2)
    case 3: _unpackFixed(src, out, 3)
    case 4: _unpackFixed(src, out, 4)
    case 5: _unpackFixed(src, out, 5)
    case 6: _unpackFixed(src, out, 6)
    case 7: _unpackFixed(src, out, 7)
    case 8: _unpackFixed(src, out, 8)
    case 9: _unpackFixed(src, out, 9)
    case 10: _unpackFixed(src, out, 10)
    case 11: _unpackFixed(src, out, 11)
    case 12: _unpackFixed(src, out, 12)
    case 13: _unpackFixed(src, out, 13)
    case 14: _unpackFixed(src, out, 14)
    case 15: _unpackFixed(src, out, 15)
    case 16: _unpackFixed(src, out, 16)
    case 17: _unpackFixed(src, out, 17)
    case 18: _unpackFixed(src, out, 18)
    case 19: _unpackFixed(src, out, 19)
    case 20: _unpackFixed(src, out, 20)
    case 21: _unpackFixed(src, out, 21)
    case 22: _unpackFixed(src, out, 22)
    case 23: _unpackFixed(src, out, 23)
    case 24: _unpackFixed(src, out, 24)
    case 25: _unpackFixed(src, out, 25)
    case 26: _unpackFixed(src, out, 26)
    case 27: _unpackFixed(src, out, 27)
    case 28: _unpackFixed(src, out, 28)
    case 29: _unpackFixed(src, out, 29)
    case 30: _unpackFixed(src, out, 30)
    case 31: _unpackFixed(src, out, 31)
    case 32: _unpackFixed(src, out, 32)
    default: preconditionFailure("bit width over 32")
    }
  }

  /// Unpacks 128 values of `width` bits starting at `offset` in `bytes`; returns false (and
  /// leaves `out` unspecified) if the block does not fit in `bytes` or the width is over 32.
  @inline(__always)
  package static func unpack128(
    _ bytes: UnsafeRawBufferPointer, at offset: Int, width: Int, into out: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    guard width >= 0, width <= 32, offset >= 0, offset + 16 * width <= bytes.count else { return false }
    if offset + 16 * width + 8 <= bytes.count {
      unpack128Unchecked(bytes.baseAddress! + offset, width: width, into: out)
    } else {
      withUnsafeTemporaryAllocation(byteCount: 16 * 32 + 8, alignment: 8) { tmp in
        tmp.initializeMemory(as: UInt8.self, repeating: 0)
        tmp.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: 16 * width)
        unpack128Unchecked(UnsafeRawPointer(tmp.baseAddress!), width: width, into: out)
      }
    }
    return true
  }

  /// Unpacks into an array (tests and tools).
  package static func unpack128(_ bytes: [UInt8], at offset: Int, width: Int) -> [UInt32]? {
    var out = [UInt32](repeating: 0, count: 128)
    let ok = bytes.withUnsafeBytes { b in
      out.withUnsafeMutableBufferPointer { unpack128(b, at: offset, width: width, into: $0.baseAddress!) }
    }
    return ok ? out : nil
  }
}

extension _BitPacking {
  /// The bytes `count` values of `width` bits take (a partial block, padded to a byte).
  @inline(__always) package static func packedSize(count: Int, width: Int) -> Int { (count * width + 7) / 8 }

  /// Appends `count` (< 128) values of `width` bits, the same bit layout as a full block.
  package static func packN(
    _ values: UnsafePointer<UInt32>, count: Int, width: Int, into out: inout _ByteBuffer
  ) {
    precondition(width >= 0 && width <= 32)
    if width == 0 { return }
    var acc: UInt64 = 0
    var nbits = 0
    for i in 0..<count {
      acc |= UInt64(values[i]) << UInt64(nbits)
      nbits += width
      while nbits >= 8 {
        out.bytes.append(UInt8(truncatingIfNeeded: acc))
        acc >>= 8
        nbits -= 8
      }
    }
    if nbits > 0 { out.bytes.append(UInt8(truncatingIfNeeded: acc)) }
  }

  /// Unpacks `count` values of `width` bits at `offset`; false if they do not fit in `bytes`.
  package static func unpackN(
    _ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int, width: Int,
    into out: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    guard width >= 0, width <= 32, offset >= 0, offset + packedSize(count: count, width: width) <= bytes.count
    else { return false }
    if width == 0 {
      out.update(repeating: 0, count: count)
      return true
    }
    let mask: UInt64 = (1 << UInt64(width)) &- 1
    let base = bytes.baseAddress!
    let n = bytes.count
    for i in 0..<count {
      let bit = i &* width
      let at = offset + bit >> 3
      var word: UInt64
      if at + 8 <= n {
        word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self))
      } else {
        word = 0
        for k in 0..<(n - at) {
          word |= UInt64(base.load(fromByteOffset: at + k, as: UInt8.self)) << UInt64(8 * k)
        }
      }
      out[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
    }
    return true
  }
}

@inline(__always)
private func _unpackFixed(_ src: UnsafeRawPointer, _ out: UnsafeMutablePointer<UInt32>, _ w: Int) {
  let mask: UInt64 = (1 << UInt64(w)) &- 1
  var i = 0
  while i < 128 {
    let bit = i &* w
    let word = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
    out[i] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
    i &+= 1
  }
}

/// Patched frame of reference (PFor) over a block of 128 values: the block is packed at a width
/// `w` chosen to minimize its size, and the few values that do not fit ("exceptions") are
/// patched with their high bits afterwards, so that one large gap or frequency does not widen
/// all 128 values.
///
/// Grammar:
///
///     PForBlock := Token:u8 [ExceptionCount:u8] Packed(w) Exception^ExceptionCount
///     Token     := w (bits 0-5, 0...32) | 0x80 when there are exceptions
///     Exception := Index:u8 High:vint          value[Index] |= High << w
///
/// Cost: encoding O(128 + 33²) for the width choice; decoding one unpack plus one OR per
/// exception.
package enum _PFor {
  /// Appends the 128 values at `values` as a PForBlock.
  package static func pack128(_ values: UnsafePointer<UInt32>, into out: inout _ByteBuffer) {
    var histogram = (0..<33).map { _ in 0 }
    for i in 0..<128 { histogram[_BitPacking.bitWidth(values[i])] += 1 }
    var maxBits = 32
    while maxBits > 0 && histogram[maxBits] == 0 { maxBits -= 1 }
    var bestWidth = maxBits
    var bestCost = 16 * maxBits
    var w = maxBits - 1
    while w >= 0 {
      var exceptions = 0
      var cost = 16 * w + 1
      for b in (w + 1)...maxBits where histogram[b] > 0 {
        exceptions += histogram[b]
        cost += histogram[b] * (1 + (b - w + 6) / 7)
      }
      if exceptions > 255 { break }
      if cost < bestCost {
        bestCost = cost
        bestWidth = w
      }
      w -= 1
    }
    let mask: UInt32 = bestWidth == 32 ? .max : (1 << UInt32(bestWidth)) - 1
    var exceptionCount = 0
    for i in 0..<128 where values[i] > mask { exceptionCount += 1 }
    if exceptionCount == 0 {
      out.u8(UInt8(bestWidth))
      _BitPacking.pack128(values, width: bestWidth, into: &out)
      return
    }
    out.u8(UInt8(bestWidth) | 0x80)
    out.u8(UInt8(exceptionCount))
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 128) { low in
      for i in 0..<128 { low[i] = values[i] & mask }
      _BitPacking.pack128(UnsafePointer(low.baseAddress!), width: bestWidth, into: &out)
    }
    for i in 0..<128 where values[i] > mask {
      out.u8(UInt8(i))
      out.vint(values[i] >> UInt32(bestWidth))
    }
  }

  /// Decodes a PForBlock at `pos` (advanced past it) into `out`; false on damaged bytes.
  @inline(__always)
  package static func unpack128(
    _ data: UnsafeRawBufferPointer, at pos: inout Int, into out: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    guard pos < data.count else { return false }
    let token = data[pos]
    pos += 1
    guard token & 0x40 == 0 else { return false }
    let w = Int(token & 0x3F)
    var exceptions = 0
    if token & 0x80 != 0 {
      guard pos < data.count else { return false }
      exceptions = Int(data[pos])
      pos += 1
    }
    guard _BitPacking.unpack128(data, at: pos, width: w, into: out) else { return false }
    pos += 16 * w
    for _ in 0..<exceptions {
      guard pos < data.count else { return false }
      let index = Int(data[pos])
      pos += 1
      guard index < 128, let high = _readVInt(data, &pos), w < 32, high >> UInt64(32 - w) == 0 else {
        return false
      }
      out[index] |= UInt32(high) << UInt32(w)
    }
    return true
  }
}
