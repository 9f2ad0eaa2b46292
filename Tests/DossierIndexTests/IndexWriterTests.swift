import DossierTestSupport
import Foundation
import Testing

@testable import DossierIndex

/// The writer layer against a plain model: a dictionary from id to the latest document.
@Suite struct IndexWriterTests {
  static let schema = FieldSchema.standard

  /// Every live document of `snapshot` by id, checking that no id is live twice.
  static func liveDocuments(_ snapshot: IndexSnapshot) throws -> [[UInt8]: [UInt8]] {
    var out: [[UInt8]: [UInt8]] = [:]
    for segment in snapshot.segments {
      var terms = segment.terms(field: 4)
      while terms.next() {
        var c = segment.postings(field: 4, info: terms.info)
        while c.doc != PostingsCursor.noMoreDocs {
          if !segment.isDeleted(c.doc) {
            let id = Array(terms.term)
            #expect(out[id] == nil, "id \(String(decoding: id, as: UTF8.self)) live twice")
            out[id] = try segment.document(c.doc)
          }
          c.next()
        }
      }
    }
    #expect(out.count == snapshot.liveDocCount)
    return out
  }

  @Test(arguments: [DirectoryKind.memory, .file])
  func randomOperationsMatchTheModel(kind: DirectoryKind) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: 0xD0_55_1E_04)
    var model: [[UInt8]: ModelDocument] = [:]
    let writer = try IndexWriter(
      directory: dir, schema: Self.schema, create: Array("settings".utf8), ramBudget: 60_000)
    writer.mergePolicy.segmentsPerTier = 3
    writer.mergePolicy.floorDocs = 20
    var doc = SegmentDocument(schema: Self.schema)
    var serial = 0
    for step in 0..<400 {
      switch Int.random(in: 0..<100, using: &rng) {
      case 0..<70:
        // Add or replace a document; ids from a small pool so that updates are common.
        var d = ModelCorpus.randomDocuments(&rng, count: 1, firstID: serial)[0]
        serial += 1
        let id = Array("doc-\(Int.random(in: 0..<120, using: &rng))".utf8)
        d.keywords[4] = [id]
        d.fill(&doc)
        try writer.update(doc, id: id)
        model[id] = d
      case 70..<85:
        let id = Array("doc-\(Int.random(in: 0..<120, using: &rng))".utf8)
        try writer.delete(id: id)
        model[id] = nil
      case 85..<90:
        try writer.flush()
      default:
        try writer.commit(attachments: ["step": Array("\(step)".utf8)])
        let snapshot = try #require(try IndexSnapshot.open(dir))
        let live = try Self.liveDocuments(snapshot)
        #expect(Set(live.keys) == Set(model.keys), "step \(step)")
        for (id, stored) in live { #expect(stored == model[id]?.stored, "step \(step)") }
        #expect(try snapshot.attachment("step") == Array("\(step)".utf8))
        #expect(snapshot.manifest.settings == Array("settings".utf8))
        try snapshot.verify()
      }
    }
    // The merge policy kept the segment count down.
    try writer.commit()
    #expect(writer.segmentCount <= 12)
    // Force-merged into one segment, everything the index holds equals the model: postings,
    // positions, norms, statistics, stored fields.
    try writer.forceMerge()
    try writer.commit()
    writer.close()
    let snapshot = try #require(try IndexSnapshot.open(dir))
    #expect(snapshot.segments.count == 1)
    let segment = snapshot.segments[0]
    #expect(segment.deletions == nil)
    var ordered: [ModelDocument] = []
    for d in 0..<segment.docCount {
      // The id of doc d: its stored blob identifies it in the model.
      let stored = try segment.document(d)
      let match = model.first {
        $0.value.stored == stored && segment.keywordDocs(field: 4, value: $0.key) == [d]
      }
      ordered.append(try #require(match).value)
    }
    #expect(ordered.count == model.count)
    try ModelCorpus.check(segment, against: ordered, rng: &rng)
    // Nothing is left on disk that the commit does not name.
    let files = Set(try dir.listAll()).filter(IndexWriter.isIndexFile)
    #expect(files.isSubset(of: snapshot.manifest.referencedFiles))
  }

  /// `apply(_:lanes:)` builds documents on several threads into a segment per lane; the index
  /// must still hold, for each id, the latest change in the order given (ids repeat within a
  /// batch and across lanes, and deletes come between updates), and force-merged it equals the
  /// model in every posting, position, norm and statistic.
  @Test(arguments: [1, 3])
  func changesAppliedInLanesMatchTheModel(lanes: Int) throws {
    let dir = MemoryDirectory()
    var rng = SeededRandom(seed: 0x1A_4E5)
    var model: [[UInt8]: ModelDocument] = [:]
    let writer = try IndexWriter(
      directory: dir, schema: Self.schema, create: Array("settings".utf8), ramBudget: 80_000)
    writer.mergePolicy.segmentsPerTier = 3
    writer.mergePolicy.floorDocs = 20
    var serial = 0
    for round in 0..<40 {
      var changes: [IndexWriter.Change] = []
      for _ in 0..<Int.random(in: 0...30, using: &rng) {
        let id = Array("doc-\(Int.random(in: 0..<60, using: &rng))".utf8)
        if Int.random(in: 0..<100, using: &rng) < 80 {
          var d = ModelCorpus.randomDocuments(&rng, count: 1, firstID: serial)[0]
          serial += 1
          d.keywords[4] = [id]
          var doc = SegmentDocument(schema: Self.schema)
          d.fill(&doc)
          // Half the documents come without their id in the id field: `apply` puts it there.
          if Bool.random(using: &rng) { doc.keywords[4] = [] }
          changes.append(.update(doc, id: id))
          model[id] = d
        } else {
          changes.append(.delete(id: id))
          model[id] = nil
        }
      }
      try writer.apply(changes, lanes: lanes)
      if round % 4 == 3 {
        try writer.commit()
        let snapshot = try #require(try IndexSnapshot.open(dir))
        let live = try Self.liveDocuments(snapshot)
        #expect(Set(live.keys) == Set(model.keys), "round \(round)")
        for (id, stored) in live { #expect(stored == model[id]?.stored, "round \(round)") }
        try snapshot.verify()
      }
    }
    try writer.forceMerge()
    try writer.commit()
    writer.close()
    let snapshot = try #require(try IndexSnapshot.open(dir))
    #expect(snapshot.segments.count == 1)
    let segment = snapshot.segments[0]
    var ordered: [ModelDocument] = []
    for d in 0..<segment.docCount {
      let stored = try segment.document(d)
      let match = model.first {
        $0.value.stored == stored && segment.keywordDocs(field: 4, value: $0.key) == [d]
      }
      ordered.append(try #require(match).value)
    }
    #expect(ordered.count == model.count)
    try ModelCorpus.check(segment, against: ordered, rng: &rng)
  }

  @Test func uncommittedChangesAreInvisibleAndDroppedOnClose() throws {
    let dir = MemoryDirectory()
    var rng = SeededRandom(seed: 5)
    let writer = try IndexWriter(directory: dir, schema: Self.schema, create: [])
    var doc = SegmentDocument(schema: Self.schema)
    for (i, d) in ModelCorpus.randomDocuments(&rng, count: 10).enumerated() {
      d.fill(&doc)
      try writer.update(doc, id: Array("doc-\(i)".utf8))
    }
    try writer.commit()
    for i in 0..<5 { try writer.delete(id: Array("doc-\(i)".utf8)) }
    try writer.flush()
    // Flushed but not committed: readers still see ten documents.
    #expect(try IndexSnapshot.open(dir)?.liveDocCount == 10)
    writer.close()
    let again = try IndexWriter(directory: dir, schema: Self.schema)
    #expect(again.liveCount(id: Array("doc-1".utf8)) == 1)
    again.close()
    #expect(try IndexSnapshot.open(dir)?.liveDocCount == 10)
  }

  @Test func aSecondWriterIsBusyUntilTheFirstCloses() throws {
    for kind in DirectoryKind.allCases {
      let dir = try kind.make()
      defer { cleanUp(dir) }
      let first = try IndexWriter(directory: dir, schema: Self.schema, create: [])
      #expect(
        throws: IndexError.busy(
          path: kind == .file ? (dir as! FileDirectory).path + "/write.lock" : "write.lock")
      ) {
        try IndexWriter(directory: dir, schema: Self.schema, create: [])
      }
      // Readers are not blocked.
      try first.commit()
      #expect(try IndexSnapshot.open(dir) != nil)
      first.close()
      let second = try IndexWriter(directory: dir, schema: Self.schema)
      second.close()
    }
  }

  @Test func openingWithoutAnIndexIsAnError() throws {
    let dir = MemoryDirectory()
    #expect(throws: IndexError.self) { try IndexWriter(directory: dir, schema: Self.schema) }
    #expect(try IndexSnapshot.open(dir) == nil)
  }

  @Test func aSnapshotStaysValidWhileTheWriterCommitsAndMerges() throws {
    let dir = try DirectoryKind.file.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: 77)
    let writer = try IndexWriter(directory: dir, schema: Self.schema, create: [], ramBudget: 20_000)
    var doc = SegmentDocument(schema: Self.schema)
    let first = ModelCorpus.randomDocuments(&rng, count: 60)
    for (i, d) in first.enumerated() {
      d.fill(&doc)
      try writer.update(doc, id: Array("doc-\(i)".utf8))
    }
    try writer.commit()
    let snapshot = try #require(try IndexSnapshot.open(dir))
    let before = try Self.liveDocuments(snapshot)
    #expect(snapshot.segments.count > 1)
    // Replace half, delete some, merge everything: the snapshot's files are deleted from disk.
    for (i, d) in ModelCorpus.randomDocuments(&rng, count: 30).enumerated() {
      d.fill(&doc)
      try writer.update(doc, id: Array("doc-\(i)".utf8))
    }
    for i in 50..<60 { try writer.delete(id: Array("doc-\(i)".utf8)) }
    try writer.commit()
    try writer.forceMerge()
    try writer.commit()
    for name in snapshot.manifest.referencedFiles where name != Manifest.fileName {
      #expect(!dir.fileExists(name), "\(name) was removed")
    }
    // The old snapshot reads exactly what it read before.
    #expect(try Self.liveDocuments(snapshot) == before)
    let now = try #require(try IndexSnapshot.open(dir))
    #expect(now.liveDocCount == 50)
    #expect(now.segments.count == 1)
    writer.close()
  }
}
