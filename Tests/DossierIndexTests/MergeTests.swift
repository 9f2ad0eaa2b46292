import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Merge")
struct MergeTests {
  @Test(
    "merging segments with deletions equals the model of their live documents",
    arguments: DirectoryKind.allCases, [1, 2])
  func merge(kind: DirectoryKind, seed: UInt64) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: 20 + seed)
    var readers: [SegmentReader] = []
    var live: [ModelDocument] = []
    var expectedMaps: [[UInt32]] = []
    var next: UInt32 = 0
    for s in 0..<3 {
      let count = [150, 0, 90, 1][(s + Int(seed)) % 4]
      let docs = ModelCorpus.randomDocuments(&rng, count: count, firstID: s * 1000)
      let info = try ModelCorpus.write(docs, to: dir, name: "s\(s)")
      var dels = DeletionSet(docCount: info.docCount)
      var generation: UInt64? = nil
      if count > 0 && s != 2 {
        for _ in 0..<(count / 3) { dels.delete(UInt32.random(in: 0..<UInt32(count), using: &rng)) }
        if s == 0 { for d in 0..<UInt32(count) where d % 2 == 0 { dels.delete(d) } }  // many deleted
        try dels.write(to: dir, segment: "s\(s)", segmentID: info.id, generation: 1)
        generation = 1
      }
      readers.append(try SegmentReader.open(in: dir, segment: "s\(s)", deletionGeneration: generation))
      var map: [UInt32] = []
      for (d, doc) in docs.enumerated() {
        if dels.contains(UInt32(d)) {
          map.append(SegmentMerger.deleted)
        } else {
          live.append(doc)
          map.append(next)
          next += 1
        }
      }
      expectedMaps.append(map)
    }
    let result = try SegmentMerger.merge(readers, into: dir, name: "m", storedBlockSize: 1024)
    #expect(result.docMaps == expectedMaps)
    let merged = try SegmentReader.open(in: dir, segment: "m")
    #expect(merged.info == result.info)
    try ModelCorpus.check(merged, against: live, rng: &rng)
    // Merging the merged segment with nothing deleted changes nothing.
    let again = try SegmentMerger.merge([merged], into: dir, name: "m2")
    let r2 = try SegmentReader.open(in: dir, segment: "m2")
    try ModelCorpus.check(r2, against: live, rng: &rng)
    #expect(again.info.fieldStats == result.info.fieldStats)
  }

  @Test("segments of different schemas are refused")
  func schemas() throws {
    let dir = MemoryDirectory()
    _ = try ModelCorpus.write([], to: dir, name: "a")
    let w = SegmentWriter(schema: FieldSchema([FieldInfo(number: 0, name: "x", kind: .text)]))
    _ = try w.flush(to: dir, name: "b")
    let a = try SegmentReader.open(in: dir, segment: "a")
    let b = try SegmentReader.open(in: dir, segment: "b")
    #expect(throws: IndexError.self) { try SegmentMerger.merge([a, b], into: dir, name: "c") }
  }
}
