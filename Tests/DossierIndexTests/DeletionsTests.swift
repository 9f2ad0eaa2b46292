import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Deletions")
struct DeletionsTests {
  @Test("bitset generations round trip", arguments: DirectoryKind.allCases, [0, 1, 63, 64, 65, 1000])
  func roundTrip(kind: DirectoryKind, docCount: Int) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: UInt64(docCount))
    var set = DeletionSet(docCount: UInt32(docCount))
    var model = Set<UInt32>()
    for gen in UInt64(1)...3 {
      for _ in 0..<(docCount / 5) {
        let d = UInt32.random(in: 0..<UInt32(docCount), using: &rng)
        #expect(set.delete(d) == model.insert(d).inserted)
      }
      try set.write(to: dir, segment: "s", segmentID: 9, generation: gen)
      let back = try DeletionSet.read(
        from: dir, segment: "s", segmentID: 9, generation: gen, docCount: UInt32(docCount))
      #expect(back == set)
      #expect(back.deletedCount == UInt32(model.count))
      for d in 0..<UInt32(docCount) { #expect(back.contains(d) == model.contains(d)) }
    }
    #expect(dir.fileExists("s.1.del") && dir.fileExists("s.3.del"))
    // Wrong segment or doc count: damage, named.
    #expect(throws: IndexError.self) {
      try DeletionSet.read(from: dir, segment: "s", segmentID: 8, generation: 3, docCount: UInt32(docCount))
    }
    #expect(throws: IndexError.self) {
      try DeletionSet.read(
        from: dir, segment: "s", segmentID: 9, generation: 3, docCount: UInt32(docCount + 1))
    }
  }
}
