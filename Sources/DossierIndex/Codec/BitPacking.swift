/// Bit-packing of blocks of 128 unsigned 32-bit integers, the heart of the postings format.
///
/// Grammar (two layouts of the same size; format version 3 writes the vertical one for full
/// blocks, versions 1 and 2 wrote the horizontal one, which partial blocks still use):
///
///     PackedBlock(w)  := byte[16 * w]     128 values of w bits each (0 <= w <= 32), value i
///                                         in bits [i*w, i*w + w) of the little-endian bit
///                                         stream (bit k is bit k%8 of byte k/8)
///     VerticalBlock(w) := Word^w          Word := u32^4 (lanes 0-3, little-endian); lane j of
///                                         words 0..<w is one 32w-bit stream (word k holds its
///                                         bits 32k..<32k+32) with values j, j+4, j+8, ...:
///                                         value 4r + j in bits [r*w, r*w + w) of stream j
///
/// A block of width 0 takes no bytes (all values zero). Horizontal unpacking is one unaligned
/// 64-bit load, shift and mask per value, specialized for each width so the compiler folds the
/// constants (about 0.5 ns per value here); it reads up to 7 bytes past the block, so callers
/// pass a buffer with 8 bytes of slack or use the checked entry point, which copies near the
/// end. Vertical unpacking (the layout of SIMD-BP128 and tantivy's BitPacker4x) produces four
/// values per shift-and-mask of a 128-bit vector, about 0.2 ns per value, and reads nothing
/// past the block.
///
///     var packed = _ByteBuffer()
///     _BitPacking.pack128(values, width: 5, into: &packed)     // 80 bytes
///     _BitPacking.unpack128(packed.bytes, at: 0, width: 5, into: out)
///     _BitPacking.pack128Vertical(values, width: 5, into: &packed)
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
  /// Appends the 128 values at `values` as a VerticalBlock of `width` bits (each value must
  /// fit). Cost: O(128 + 4 * width).
  package static func pack128Vertical(
    _ values: UnsafePointer<UInt32>, width: Int, into out: inout _ByteBuffer
  ) {
    precondition(width >= 0 && width <= 32)
    if width == 0 { return }
    // Word k of lane j at 4k + j (on the stack: one block per call, many calls per flush).
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 4 * 33) { words in
      words.initialize(repeating: 0)
      for i in 0..<128 {
        let bit = (i >> 2) * width
        let v = UInt64(values[i]) << UInt64(bit & 31)
        let at = 4 * (bit >> 5) + (i & 3)
        words[at] |= UInt32(truncatingIfNeeded: v)
        words[at + 4] |= UInt32(truncatingIfNeeded: v >> 32)
      }
      out.bytes.reserveCapacity(out.bytes.count + 16 * width)
      for k in 0..<(4 * width) { out.u32(words[k]) }
    }
  }

  /// Unpacks a VerticalBlock of `width` bits from `src` (16 * width readable bytes) into the
  /// 128 values at `out`, in order.
  @inline(__always)
  package static func unpack128VerticalUnchecked(
    _ src: UnsafeRawPointer, width: Int, into out: UnsafeMutablePointer<UInt32>
  ) {
    switch width {
    case 0: out.update(repeating: 0, count: 128)
    case 1: _unpackVertical(src, out, 1)
    case 2: _unpackVertical(src, out, 2)
    case 3: _unpackVertical(src, out, 3)
    case 4: _unpackVertical(src, out, 4)
    case 5: _unpackVertical(src, out, 5)
    case 6: _unpackVertical(src, out, 6)
    case 7: _unpackVertical(src, out, 7)
    case 8: _unpackVertical(src, out, 8)
    case 9: _unpackVertical(src, out, 9)
    case 10: _unpackVertical(src, out, 10)
    case 11: _unpackVertical(src, out, 11)
    case 12: _unpackVertical(src, out, 12)
    case 13: _unpackVertical(src, out, 13)
    case 14: _unpackVertical(src, out, 14)
    case 15: _unpackVertical(src, out, 15)
    case 16: _unpackVertical(src, out, 16)
    case 17: _unpackVertical(src, out, 17)
    case 18: _unpackVertical(src, out, 18)
    case 19: _unpackVertical(src, out, 19)
    case 20: _unpackVertical(src, out, 20)
    case 21: _unpackVertical(src, out, 21)
    case 22: _unpackVertical(src, out, 22)
    case 23: _unpackVertical(src, out, 23)
    case 24: _unpackVertical(src, out, 24)
    case 25: _unpackVertical(src, out, 25)
    case 26: _unpackVertical(src, out, 26)
    case 27: _unpackVertical(src, out, 27)
    case 28: _unpackVertical(src, out, 28)
    case 29: _unpackVertical(src, out, 29)
    case 30: _unpackVertical(src, out, 30)
    case 31: _unpackVertical(src, out, 31)
    case 32: UnsafeMutableRawPointer(out).copyMemory(from: src, byteCount: 512)
    default: preconditionFailure("bit width over 32")
    }
  }

  /// Unpacks a VerticalBlock at `offset`; false if the width is over 32 or the block does not
  /// fit in `bytes`.
  @inline(__always)
  package static func unpack128Vertical(
    _ bytes: UnsafeRawBufferPointer, at offset: Int, width: Int, into out: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    guard width >= 0, width <= 32, offset >= 0, offset + 16 * width <= bytes.count else { return false }
    unpack128VerticalUnchecked(bytes.baseAddress! + offset, width: width, into: out)
    return true
  }

  /// Replaces the 128 values at `values` by their running sums, starting from `base`; returns
  /// the last sum. Four lanes at a time. Cost: about 0.1 ns per value.
  @inline(__always)
  @discardableResult
  package static func prefixSum128(_ values: UnsafeMutablePointer<UInt32>, base: UInt32) -> UInt32 {
    let p = UnsafeMutableRawPointer(values)
    var carry = SIMD4<UInt32>(repeating: base)
    var r = 0
    while r < 32 {
      var v = p.loadUnaligned(fromByteOffset: 16 &* r, as: SIMD4<UInt32>.self)
      v &+= SIMD4(0, v[0], v[1], v[2])
      v &+= SIMD4(0, 0, v[0], v[1])
      p.storeBytes(of: v &+ carry, toByteOffset: 16 &* r, as: SIMD4<UInt32>.self)
      carry &+= SIMD4(repeating: v[3])
      r &+= 1
    }
    return carry[0]
  }

  /// Adds `delta` to each of the 128 values at `values` (wrapping).
  @inline(__always)
  package static func add128(_ values: UnsafeMutablePointer<UInt32>, _ delta: UInt32) {
    let p = UnsafeMutableRawPointer(values)
    let d = SIMD4<UInt32>(repeating: delta)
    var r = 0
    while r < 32 {
      let v = p.loadUnaligned(fromByteOffset: 16 &* r, as: SIMD4<UInt32>.self)
      p.storeBytes(of: v &+ d, toByteOffset: 16 &* r, as: SIMD4<UInt32>.self)
      r &+= 1
    }
  }
}

/// One VerticalBlock row at a time: four values per shift, OR and mask of a 128-bit vector.
/// `w` is a constant after inlining into `unpack128VerticalUnchecked`'s cases (1...31).
@inline(__always)
private func _unpackVertical(_ src: UnsafeRawPointer, _ out: UnsafeMutablePointer<UInt32>, _ w: Int) {
  let mask = SIMD4<UInt32>(repeating: (1 << UInt32(w)) &- 1)
  let o = UnsafeMutableRawPointer(out)
  var k = 0
  var cur = src.loadUnaligned(fromByteOffset: 0, as: SIMD4<UInt32>.self)
  var shift = 0
  var r = 0
  while r < 32 {
    var v = cur &>> UInt32(truncatingIfNeeded: shift)
    shift &+= w
    if shift >= 32 {
      k &+= 1
      shift &-= 32
      if k < w {
        cur = src.loadUnaligned(fromByteOffset: 16 &* k, as: SIMD4<UInt32>.self)
        if shift > 0 { v |= cur &<< UInt32(truncatingIfNeeded: w &- shift) }
      }
    }
    o.storeBytes(of: v & mask, toByteOffset: 16 &* r, as: SIMD4<UInt32>.self)
    r &+= 1
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
///     Packed(w) := VerticalBlock(w) (format version 3) | PackedBlock(w) (versions 1 and 2)
///     Token     := w (bits 0-5, 0...32) | 0x80 when there are exceptions
///     Exception := Index:u8 High:vint          value[Index] |= High << w
///
/// Cost: encoding O(128 + 33²) for the width choice; decoding one unpack plus one OR per
/// exception.
package enum _PFor {
  /// Appends the 128 values at `values` as a PForBlock, its Packed part in the vertical
  /// layout when `vertical` (format version 3) or the horizontal one (versions 1 and 2).
  package static func pack128(
    _ values: UnsafePointer<UInt32>, vertical: Bool = true, into out: inout _ByteBuffer
  ) {
    // A histogram of the values' bit widths, on the stack.
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 33) { histogram in
      histogram.initialize(repeating: 0)
      for i in 0..<128 { histogram[_BitPacking.bitWidth(values[i])] += 1 }
      _pack128(values, histogram, vertical: vertical, into: &out)
    }
  }

  private static func _pack128(
    _ values: UnsafePointer<UInt32>, _ histogram: UnsafeMutableBufferPointer<Int>, vertical: Bool,
    into out: inout _ByteBuffer
  ) {
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
      if vertical {
        _BitPacking.pack128Vertical(values, width: bestWidth, into: &out)
      } else {
        _BitPacking.pack128(values, width: bestWidth, into: &out)
      }
      return
    }
    out.u8(UInt8(bestWidth) | 0x80)
    out.u8(UInt8(exceptionCount))
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 128) { low in
      for i in 0..<128 { low[i] = values[i] & mask }
      if vertical {
        _BitPacking.pack128Vertical(UnsafePointer(low.baseAddress!), width: bestWidth, into: &out)
      } else {
        _BitPacking.pack128(UnsafePointer(low.baseAddress!), width: bestWidth, into: &out)
      }
    }
    for i in 0..<128 where values[i] > mask {
      out.u8(UInt8(i))
      out.vint(values[i] >> UInt32(bestWidth))
    }
  }

  /// Decodes a PForBlock at `pos` (advanced past it) into `out`; false on damaged bytes.
  /// `vertical` says which layout its Packed part has (see `pack128`).
  @inline(__always)
  package static func unpack128(
    _ data: UnsafeRawBufferPointer, at pos: inout Int, vertical: Bool = true,
    into out: UnsafeMutablePointer<UInt32>
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
    if vertical {
      guard _BitPacking.unpack128Vertical(data, at: pos, width: w, into: out) else { return false }
    } else {
      guard _BitPacking.unpack128(data, at: pos, width: w, into: out) else { return false }
    }
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
