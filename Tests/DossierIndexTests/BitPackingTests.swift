import DossierTestSupport
import Foundation
import Testing

@testable import DossierIndex

@Suite("Bit-packing")
struct BitPackingTests {
  @Test("round trip at every width", arguments: 0...32)
  func roundTrip(width: Int) {
    var rng = SeededRandom(seed: UInt64(width) + 10)
    let maxValue: UInt32 = width == 0 ? 0 : width == 32 ? .max : (1 << UInt32(width)) - 1
    for trial in 0..<4 {
      var values = (0..<128).map { _ in UInt32.random(in: 0...maxValue, using: &rng) }
      if trial == 0 { values = [UInt32](repeating: maxValue, count: 128) }
      if width > 0 { values[Int.random(in: 0..<128, using: &rng)] = maxValue }
      #expect(values.withUnsafeBufferPointer { _BitPacking.requiredWidth($0.baseAddress!) } <= width)
      var out = _ByteBuffer()
      out.u8(0xAA)  // an unaligned start
      values.withUnsafeBufferPointer { _BitPacking.pack128($0.baseAddress!, width: width, into: &out) }
      #expect(out.count == 1 + 16 * width)
      // At the very end of the buffer (no slack: the copying path) and with slack.
      #expect(_BitPacking.unpack128(out.bytes, at: 1, width: width) == values)
      #expect(
        _BitPacking.unpack128(out.bytes + [UInt8](repeating: 0, count: 8), at: 1, width: width) == values)
    }
  }

  /// The vertical layout against its definition in the grammar, bit by bit: value 4r + j is
  /// in bits [r*w, r*w + w) of lane j's stream, whose bit b is bit b%32 of lane j of word b/32.
  @Test("vertical blocks: the grammar's bit layout, and a round trip at every width", arguments: 0...32)
  func vertical(width: Int) {
    var rng = SeededRandom(seed: UInt64(width) + 90)
    let maxValue: UInt32 = width == 0 ? 0 : width == 32 ? .max : (1 << UInt32(width)) - 1
    for trial in 0..<4 {
      var values = (0..<128).map { _ in UInt32.random(in: 0...maxValue, using: &rng) }
      if trial == 0 { values = [UInt32](repeating: maxValue, count: 128) }
      var expected = [UInt8](repeating: 0, count: 16 * width)
      for (i, v) in values.enumerated() {
        let (row, lane) = (i / 4, i % 4)
        for b in 0..<width where v >> UInt32(b) & 1 == 1 {
          let bit = row * width + b
          let byte = 16 * (bit / 32) + 4 * lane + (bit % 32) / 8
          expected[byte] |= UInt8(1 << ((bit % 32) % 8))
        }
      }
      var out = _ByteBuffer()
      out.u8(0xAA)  // an unaligned start
      values.withUnsafeBufferPointer {
        _BitPacking.pack128Vertical($0.baseAddress!, width: width, into: &out)
      }
      #expect(Array(out.bytes.dropFirst()) == expected)
      var back = [UInt32](repeating: 7, count: 128)
      let ok = out.bytes.withUnsafeBytes { b in
        back.withUnsafeMutableBufferPointer {
          _BitPacking.unpack128Vertical(b, at: 1, width: width, into: $0.baseAddress!)
        }
      }
      #expect(ok && back == values)
      if width > 0 {
        let short = Array(out.bytes.dropLast())
        let refused = short.withUnsafeBytes { b in
          back.withUnsafeMutableBufferPointer {
            !_BitPacking.unpack128Vertical(b, at: 1, width: width, into: $0.baseAddress!)
          }
        }
        #expect(refused)
      }
    }
  }

  /// The worked example of `VPacked(w)` in Index/README.md: the values 0...127 masked to 3 bits.
  @Test("the vertical block Index/README.md shows")
  func verticalExample() throws {
    let rows = [
      "20 08 82 20 69 9a a6 69 b2 2c cb b2 fb be ef fb",
      "08 82 20 08 9a a6 69 9a 2c cb b2 2c be ef fb be",
      "82 20 08 82 a6 69 9a a6 cb b2 2c cb ef fb be ef",
    ]
    let values = (0..<128).map { UInt32($0 % 8) }
    var out = _ByteBuffer()
    values.withUnsafeBufferPointer { _BitPacking.pack128Vertical($0.baseAddress!, width: 3, into: &out) }
    let hex = out.bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
    #expect(hex.joined(separator: " ") == rows.joined(separator: " "))
    let readme = try String(contentsOfFile: repositoryRoot + "/Index/README.md", encoding: .utf8)
    for row in rows { #expect(readme.contains(row), "Index/README.md lacks \(row)") }
  }

  @Test("running sums and adding a constant, four lanes at a time, equal the scalar loops")
  func prefixSums() {
    var rng = SeededRandom(seed: 95)
    for trial in 0..<20 {
      let bound: UInt32 = trial % 2 == 0 ? 1000 : .max
      let values = (0..<128).map { _ in UInt32.random(in: 0...bound, using: &rng) }
      let base = UInt32.random(in: 0...UInt32.max, using: &rng)
      var sums = values
      let last = sums.withUnsafeMutableBufferPointer { _BitPacking.prefixSum128($0.baseAddress!, base: base) }
      var running = base
      var model: [UInt32] = []
      for v in values {
        running &+= v
        model.append(running)
      }
      #expect(sums == model && last == running)
      var plusOne = values
      plusOne.withUnsafeMutableBufferPointer { _BitPacking.add128($0.baseAddress!, 1) }
      #expect(plusOne == values.map { $0 &+ 1 })
    }
  }

  @Test("a block that does not fit is refused")
  func truncated() {
    let bytes = [UInt8](repeating: 0, count: 16 * 5 - 1)
    #expect(_BitPacking.unpack128(bytes, at: 0, width: 5) == nil)
    #expect(_BitPacking.unpack128(bytes, at: 0, width: 33) == nil)
  }

  @Test("bit widths")
  func widths() {
    #expect(_BitPacking.bitWidth(0) == 0)
    #expect(_BitPacking.bitWidth(1) == 1)
    #expect(_BitPacking.bitWidth(255) == 8)
    #expect(_BitPacking.bitWidth(256) == 9)
    #expect(_BitPacking.bitWidth(.max) == 32)
  }

  @Test("partial blocks round trip at every width and count", arguments: 0...32)
  func partial(width: Int) {
    var rng = SeededRandom(seed: UInt64(width) + 50)
    let maxValue: UInt32 = width == 0 ? 0 : width == 32 ? .max : (1 << UInt32(width)) - 1
    for count in [0, 1, 3, 4, 7, 8, 9, 63, 127] {
      let values = (0..<count).map { _ in UInt32.random(in: 0...maxValue, using: &rng) }
      var out = _ByteBuffer()
      values.withUnsafeBufferPointer {
        _BitPacking.packN($0.baseAddress!, count: count, width: width, into: &out)
      }
      #expect(out.count == _BitPacking.packedSize(count: count, width: width))
      var back = [UInt32](repeating: 7, count: 128)
      let ok = out.bytes.withUnsafeBytes { b in
        back.withUnsafeMutableBufferPointer {
          _BitPacking.unpackN(b, at: 0, count: count, width: width, into: $0.baseAddress!)
        }
      }
      #expect(ok)
      #expect(Array(back[0..<count]) == values)
      if count > 0 && width > 0 {
        let short = Array(out.bytes.dropLast())
        let refused = short.withUnsafeBytes { b in
          back.withUnsafeMutableBufferPointer {
            !_BitPacking.unpackN(b, at: 0, count: count, width: width, into: $0.baseAddress!)
          }
        }
        #expect(refused)
      }
    }
  }
}

@Suite("PFor")
struct PForTests {
  @Test(
    "blocks with outliers round trip and shrink, in both layouts",
    arguments: [0, 1, 5, 30, 128], [true, false])
  func roundTrip(outliers: Int, vertical: Bool) {
    var rng = SeededRandom(seed: UInt64(outliers) + 70)
    for _ in 0..<20 {
      var values = (0..<128).map { _ in UInt32.random(in: 0...15, using: &rng) }
      for _ in 0..<outliers {
        values[Int.random(in: 0..<128, using: &rng)] =
          UInt32.random(in: 0...UInt32.max, using: &rng) >> UInt32.random(in: 0...31, using: &rng)
      }
      var out = _ByteBuffer()
      values.withUnsafeBufferPointer { _PFor.pack128($0.baseAddress!, vertical: vertical, into: &out) }
      let plain = 1 + 16 * values.withUnsafeBufferPointer { _BitPacking.requiredWidth($0.baseAddress!) }
      #expect(out.count <= plain)
      var back = [UInt32](repeating: 0, count: 128)
      var pos = 0
      let ok = out.bytes.withUnsafeBytes { b in
        back.withUnsafeMutableBufferPointer {
          _PFor.unpack128(b, at: &pos, vertical: vertical, into: $0.baseAddress!)
        }
      }
      #expect(ok && pos == out.count)
      #expect(back == values)
      // Every truncation is refused.
      for cut in [1, out.count / 2, out.count - 1] where cut < out.count && cut > 0 {
        var p = 0
        let short = Array(out.bytes.prefix(cut))
        let refused = short.withUnsafeBytes { b in
          back.withUnsafeMutableBufferPointer {
            !_PFor.unpack128(b, at: &p, vertical: vertical, into: $0.baseAddress!)
          }
        }
        #expect(refused)
      }
    }
  }
}
