import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Impact lists")
struct ImpactTests {
  static func dominated(_ p: _Impact, in pairs: [_Impact]) -> Bool {
    pairs.contains { $0 != p && $0.freq >= p.freq && $0.length <= p.length }
  }

  @Test("the frontier covers every pair, keeps only competitive ones, and round-trips")
  func frontier() {
    var rng = SeededRandom(seed: 31)
    for round in 0..<500 {
      let n = Int.random(in: 1...200, using: &rng)
      // Few distinct values (many ties), more, and the whole 32-bit range.
      let spread: UInt32 = [6, 40, 400, UInt32.max / 3][round % 4]
      let pairs = (0..<n).map { _ in
        _Impact(
          freq: UInt32.random(in: 1...spread, using: &rng),
          length: UInt32.random(in: 0...spread * 3, using: &rng))
      }
      let list = _Impact.frontier(pairs)
      #expect(!list.isEmpty && list.count <= _Impact.maxCount)
      // Every input pair is bounded by some pair of the list.
      for p in pairs { #expect(list.contains { p.freq <= $0.freq && p.length >= $0.length }) }
      // Strictly increasing in both.
      for (a, b) in zip(list, list.dropFirst()) { #expect(a.freq < b.freq && a.length < b.length) }
      // Below the cap the list is exactly the non-dominated pairs.
      let exact = Set(pairs.filter { !Self.dominated($0, in: pairs) })
      if exact.count <= _Impact.maxCount { #expect(Set(list) == exact) }
      var out = _ByteBuffer()
      _Impact.write(list, into: &out)
      var back: [_Impact] = []
      let ok = out.bytes.withUnsafeBytes {
        _Impact.read($0, at: 0) { back.append(_Impact(freq: $0, length: $1)) }
      }
      #expect(ok && back == list)
    }
  }

  @Test("damaged lists are refused, not misread")
  func damaged() {
    var out = _ByteBuffer()
    _Impact.write([_Impact(freq: 1, length: 5), _Impact(freq: 4, length: 90)], into: &out)
    let good = out.bytes
    // Count 0, a count over the cap, a truncated list, a pair that does not increase.
    let cases: [[UInt8]] = [
      [0], [UInt8(_Impact.maxCount + 1)] + good.dropFirst(), Array(good.dropLast()), [2, 1, 5, 0, 3],
    ]
    for bad in cases {
      let ok = bad.withUnsafeBytes { _Impact.read($0, at: 0) { _, _ in } }
      #expect(!ok, "\(bad)")
    }
  }
}

/// The skip data example of Index/README.md: a term in 130 documents (a full block and a tail
/// of two), every doc with frequency 1 and length 10 except doc 5 (frequency 3, length 40),
/// doc 7 (length 4) and doc 129 (frequency 2).
@Suite("Skip data example")
struct SkipDataExampleTests {
  static let expectedHex =
    "0f000000 7f000000 15000000 00000000 07000000 81000000 18000000 08000000 0c000000"
    + " 03 0104 0106 011e  02 0104 0224  01 020a"

  @Test("the encoder writes the skip data Index/README.md shows")
  func example() throws {
    let dir = MemoryDirectory()
    let field = FieldInfo(number: 2, name: "body", kind: .text)
    let docOut = try _IndexFileWriter(dir, name: "t.doc", kind: "DOCS", segmentID: 1)
    let posOut = try _IndexFileWriter(dir, name: "t.pos", kind: "POSN", segmentID: 1)
    var enc = _PostingsEncoder(docOut: docOut, posOut: posOut, field: field)
    for d in UInt32(0)..<130 {
      let freq: UInt32 = d == 5 ? 3 : d == 129 ? 2 : 1
      let length: UInt32 = d == 5 ? 40 : d == 7 ? 4 : 10
      try enc.add(doc: d, freq: freq, fieldLength: length, positions: Array(0..<freq))
    }
    let info = try enc.finishTerm()
    try docOut.finish()
    try posOut.finish()
    let bytes = try dir.readFile("t.doc")
    let start = Int(info.docOffset)
    let impactBytes = Int(bytes[start]) | Int(bytes[start + 1]) << 8
    let skip = bytes[start..<(start + 4 + 2 * 16 + impactBytes)]
    let hex = skip.map {
      String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16)
    }
    #expect(hex.joined() == Self.expectedHex.replacingOccurrences(of: " ", with: ""))
  }
}
