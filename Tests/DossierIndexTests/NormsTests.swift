import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Norms")
struct NormsTests {
  static let schema = FieldSchema([
    FieldInfo(number: 0, name: "a", kind: .text),
    FieldInfo(number: 1, name: "k", kind: .keyword),
    FieldInfo(number: 2, name: "b", kind: .text),
    FieldInfo(number: 3, name: "c", kind: .text),
    FieldInfo(number: 4, name: "d", kind: .text),
  ])

  @Test("exact lengths round trip at every width", arguments: DirectoryKind.allCases)
  func roundTrip(kind: DirectoryKind) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: 4)
    let n = 500
    let columns: [[UInt32]] = [
      (0..<n).map { _ in UInt32.random(in: 0...255, using: &rng) },  // 1 byte
      [UInt32](repeating: 0, count: n),  // width 0
      (0..<n).map { _ in UInt32.random(in: 0...65_535, using: &rng) },  // 2 bytes
      (0..<n).map { _ in UInt32.random(in: 0...UInt32.max, using: &rng) },  // 4 bytes
    ]
    try _NormsFormat.write(
      dir, segment: "s", segmentID: 1, docCount: n, fields: [0, 2, 3, 4], lengths: columns)
    let f = try dir.openInput("s.norm")
    let body = try _FileFormat.openBody(f, kind: "NORM", segmentID: 1, verifyChecksum: true)
    let parsed = try _NormsFormat.parse(body, file: f.name, docCount: n, schema: Self.schema)
    for (field, column) in zip([FieldNumber(0), 2, 3, 4], columns) {
      for d in 0..<n { #expect(parsed[field]![UInt32(d)] == column[d]) }
      #expect(parsed[field]![UInt32(n)] == 0)
    }
    // A missing column is damage.
    #expect(throws: IndexError.self) {
      try _NormsFormat.parse(
        body, file: f.name, docCount: n,
        schema: FieldSchema(Self.schema.fields + [FieldInfo(number: 5, name: "e", kind: .text)]))
    }
  }

  @Test("Lucene's SmallFloat byte4 encoding")
  func smallFloat() {
    // Exact below 24, then 4 significant bits (values from Lucene's TestSmallFloat logic).
    for i: UInt32 in 0..<24 {
      #expect(SmallFloat.intToByte4(i) == UInt8(i))
      #expect(SmallFloat.byte4ToInt(UInt8(i)) == i)
    }
    #expect(SmallFloat.byte4ToInt(SmallFloat.intToByte4(1000)) == 984)
    #expect(SmallFloat.intToByte4(UInt32(Int32.max)) == 255)
    var previous: UInt32 = 0
    for b in 1...255 {
      let decoded = SmallFloat.byte4ToInt(UInt8(b))
      #expect(decoded > previous)  // strictly increasing
      #expect(SmallFloat.intToByte4(decoded) == UInt8(b))  // decoded values are fixed points
      previous = decoded
    }
    for i: UInt32 in [24, 25, 100, 1_000, 123_456, 9_999_999] {
      #expect(SmallFloat.byte4ToInt(SmallFloat.intToByte4(i)) <= i)  // rounds down
    }
  }
}
