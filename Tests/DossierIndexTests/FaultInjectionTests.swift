import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Fault injection")
struct FaultInjectionTests {
  @Test(
    "a flush or merge failing at any write, create or close throws, and leaves no segment that opens",
    arguments: [FaultyDirectory.Operation.write, .create, .close])
  func failAnywhere(operation: FaultyDirectory.Operation) throws {
    var rng = SeededRandom(seed: 41)
    let docs = ModelCorpus.randomDocuments(&rng, count: 150, maxTokens: 8)
    // Count the operations of a clean flush and merge.
    let counting = FaultyDirectory(MemoryDirectory())
    _ = try ModelCorpus.write(docs, to: counting, name: "s")
    _ = try SegmentMerger.merge(
      [try SegmentReader.open(in: counting, segment: "s")], into: counting, name: "m")
    let total = counting.count(of: operation)
    #expect(total > 0)
    for n in 1...total {
      let base = MemoryDirectory()
      let faulty = FaultyDirectory(base, failing: operation, at: n)
      var inProgress = "s"
      do {
        _ = try ModelCorpus.write(docs, to: faulty, name: "s")
        inProgress = "m"
        _ = try SegmentMerger.merge(
          [try SegmentReader.open(in: faulty, segment: "s")], into: faulty, name: "m")
        Issue.record("\(operation) \(n) of \(total): no failure")
      } catch let IndexError.io(_, message) {
        #expect(message.contains("injected"))
      }
      // The segment being written is absent or refused, never half-read.
      do {
        let r = try SegmentReader.open(in: base, segment: inProgress)
        try r.verify()
        // Only possible when the failure hit the close of a fully written `.si`, the last file.
        #expect(operation == .close)
      } catch is IndexError {
      }
    }
  }

  @Test("an unsynced segment does not survive a crash; a synced one does")
  func crash() throws {
    var rng = SeededRandom(seed: 42)
    let docs = ModelCorpus.randomDocuments(&rng, count: 20)
    let dir = MemoryDirectory()
    let info = try ModelCorpus.write(docs, to: dir, name: "s")
    dir.simulateCrash()
    #expect(throws: IndexError.self) { try SegmentReader.open(in: dir, segment: "s") }
    let dir2 = MemoryDirectory()
    let info2 = try ModelCorpus.write(docs, to: dir2, name: "s")
    try dir2.sync(info2.fileNames)
    try dir2.syncDirectory()
    dir2.simulateCrash()
    try SegmentReader.open(in: dir2, segment: "s").verify()
    _ = info
  }
}
