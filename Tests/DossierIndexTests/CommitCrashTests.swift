import DossierTestSupport
import Testing

@testable import DossierIndex

/// A failure injected at every create, write, close, sync, rename, folder sync and delete of a
/// commit, followed by a simulated power loss: the index must then hold exactly the last
/// commit that completed (before or after the failed one), pass `verify()`, and take new work.
@Suite struct CommitCrashTests {
  static let schema = FieldSchema.standard

  /// State A: nine small documents in three segments, committed. Returns the directory and the
  /// model of A (id -> stored bytes).
  static func stateA() throws -> (MemoryDirectory, [[UInt8]: [UInt8]]) {
    let dir = MemoryDirectory()
    var rng = SeededRandom(seed: 0xA)
    let writer = try IndexWriter(directory: dir, schema: schema, create: Array("s".utf8))
    var model: [[UInt8]: [UInt8]] = [:]
    var doc = SegmentDocument(schema: schema)
    for (i, d) in ModelCorpus.randomDocuments(&rng, count: 9, maxTokens: 6).enumerated() {
      d.fill(&doc)
      try writer.update(doc, id: Array("doc-\(i)".utf8))
      model[Array("doc-\(i)".utf8)] = d.stored
      if i % 3 == 2 { try writer.flush() }
    }
    try writer.commit(attachments: ["sources": Array("A".utf8)])
    writer.close()
    return (dir, model)
  }

  /// The second commit: two updates, two deletes, two new documents, then a merge of three
  /// segments; returns model B.
  static func commitB(_ directory: any Directory, _ a: [[UInt8]: [UInt8]]) throws -> [[UInt8]: [UInt8]] {
    var model = a
    var rng = SeededRandom(seed: 0xB)
    let writer = try IndexWriter(directory: directory, schema: schema)
    defer { writer.close() }
    writer.mergePolicy.segmentsPerTier = 3
    writer.mergePolicy.floorDocs = 100
    var doc = SegmentDocument(schema: schema)
    for (i, d) in ModelCorpus.randomDocuments(&rng, count: 4, maxTokens: 6).enumerated() {
      let id = Array("doc-\([0, 4, 20, 21][i])".utf8)
      d.fill(&doc)
      try writer.update(doc, id: id)
      model[id] = d.stored
    }
    for i in [2, 7] {
      try writer.delete(id: Array("doc-\(i)".utf8))
      model[Array("doc-\(i)".utf8)] = nil
    }
    try writer.commit(attachments: ["sources": Array("B".utf8)])
    return model
  }

  @Test func everyFailurePointLeavesACommittedState() throws {
    // A run without failures counts the operations of the second commit.
    let (clean, a) = try Self.stateA()
    let counting = FaultyDirectory(clean)
    let b = try Self.commitB(counting, a)
    #expect(b != a)
    // Commit B flushed a fourth segment and merged three of the four.
    #expect(try IndexSnapshot.open(clean)?.segments.count == 2)
    #expect(counting.count(of: .rename) >= 1 && counting.count(of: .delete) >= 3)
    var points = 0
    for op in FaultyDirectory.Operation.allCases {
      let total = counting.count(of: op)
      guard total > 0 else { continue }
      for n in 1...total {
        let (base, modelA) = try Self.stateA()
        let faulty = FaultyDirectory(base, failing: op, at: n)
        var failed = false
        do { _ = try Self.commitB(faulty, modelA) } catch { failed = true }
        #expect(failed || op == .delete, "\(op) #\(n) did not fail")
        base.simulateCrash()
        let snapshot = try #require(try IndexSnapshot.open(base), "\(op) #\(n): no index after the crash")
        try snapshot.verify()
        let live = try IndexWriterTests.liveDocuments(snapshot)
        let sources = try snapshot.attachment("sources")
        if live == modelA {
          #expect(sources == Array("A".utf8), "\(op) #\(n)")
        } else {
          #expect(live == b, "\(op) #\(n): neither commit A nor commit B")
          #expect(sources == Array("B".utf8), "\(op) #\(n)")
        }
        // A new writer cleans up what the failed one left and carries on.
        let writer = try IndexWriter(directory: base, schema: Self.schema)
        try writer.delete(id: Array("doc-0".utf8))
        try writer.commit()
        writer.close()
        let after = try #require(try IndexSnapshot.open(base))
        try after.verify()
        let leftovers = Set(try base.listAll()).filter(IndexWriter.isIndexFile)
        #expect(leftovers.isSubset(of: after.manifest.referencedFiles), "\(op) #\(n): \(leftovers)")
        points += 1
      }
    }
    #expect(points > 40)
  }

  @Test func aWriterThatFailedRefusesMoreWork() throws {
    let (base, a) = try Self.stateA()
    let faulty = FaultyDirectory(base, failing: .sync, at: 1)
    let writer = try IndexWriter(directory: faulty, schema: Self.schema)
    var doc = SegmentDocument(schema: Self.schema)
    var rng = SeededRandom(seed: 1)
    ModelCorpus.randomDocuments(&rng, count: 1)[0].fill(&doc)
    try writer.update(doc, id: Array("x".utf8))
    #expect(throws: IndexError.self) { try writer.commit() }
    #expect(throws: IndexError.self) { try writer.update(doc, id: Array("y".utf8)) }
    writer.close()
    #expect(try IndexWriterTests.liveDocuments(try #require(try IndexSnapshot.open(base))) == a)
  }
}
