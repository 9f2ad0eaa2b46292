import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Numeric columns")
struct NumericColumnTests {
  static let schema = FieldSchema([
    FieldInfo(number: 0, name: "date", kind: .numeric),
    FieldInfo(number: 1, name: "big", kind: .numeric),
    FieldInfo(number: 2, name: "none", kind: .numeric),
  ])

  @Test("values and range queries agree with a model", arguments: DirectoryKind.allCases)
  func model(kind: DirectoryKind) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: 5)
    let n = 400
    let dates: [Int64?] = (0..<n).map { _ in
      Bool.random(using: &rng) ? Int64.random(in: 7000...7100, using: &rng) : nil
    }
    let big: [Int64?] = (0..<n).map { _ in Int64.random(in: -(1 << 40)...(1 << 40), using: &rng) }
    let none = [Int64?](repeating: nil, count: n)
    try _NumericFormat.write(
      dir, segment: "s", segmentID: 1, docCount: n, fields: [0, 1, 2], values: [dates, big, none])
    let f = try dir.openInput("s.num")
    let body = try _FileFormat.openBody(f, kind: "NUMS", segmentID: 1, verifyChecksum: true)
    let cols = try _NumericFormat.parse(body, file: f.name, docCount: n, schema: Self.schema)
    for (field, model) in [(FieldNumber(0), dates), (1, big), (2, none)] {
      let col = cols[field]!
      for d in 0..<n { #expect(col[UInt32(d)] == model[d]) }
      for _ in 0..<40 {
        let a = model.compactMap { $0 }.randomElement(using: &rng) ?? 0
        let b = a + Int64.random(in: -5...50, using: &rng)
        let range = min(a, b)...max(a, b)
        let expected = (0..<n).filter { model[$0].map(range.contains) ?? false }.map(UInt32.init)
        #expect(col.docs(in: range) == expected)
      }
      #expect(col.docs(in: Int64.min...Int64.max).count == model.compactMap { $0 }.count)
    }
  }
}
