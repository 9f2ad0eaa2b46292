import DossierTestSupport
import Testing

@testable import DossierIndex

@Suite("Segment")
struct SegmentTests {
  @Test("a written segment reads back equal to the model", arguments: DirectoryKind.allCases, [1, 2, 3])
  func roundTrip(kind: DirectoryKind, seed: UInt64) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: seed)
    let docs = ModelCorpus.randomDocuments(&rng, count: seed == 1 ? 5 : 400)
    let info = try ModelCorpus.write(docs, to: dir, name: "seg_1")
    #expect(Set(try dir.listAll()) == Set(info.fileNames))
    let reader = try SegmentReader.open(in: dir, segment: "seg_1")
    #expect(reader.info == info)
    try ModelCorpus.check(reader, against: docs, rng: &rng)
    // Some term has several blocks (the skip path is exercised).
    #expect(seed == 1 || (reader.termInfo(field: 2, term: Array("the".utf8))?.docFreq ?? 0) >= 128)
  }

  @Test("an empty segment")
  func empty() throws {
    let dir = MemoryDirectory()
    _ = try ModelCorpus.write([], to: dir, name: "e")
    let reader = try SegmentReader.open(in: dir, segment: "e")
    #expect(reader.docCount == 0)
    #expect(reader.termCount == 0)
    var it = reader.allTerms()
    let hasTerm = it.next()
    #expect(!hasTerm)
    try reader.verify()
  }

  @Test("deletions apply by generation")
  func deletions() throws {
    let dir = MemoryDirectory()
    var rng = SeededRandom(seed: 11)
    let docs = ModelCorpus.randomDocuments(&rng, count: 50)
    let info = try ModelCorpus.write(docs, to: dir, name: "s")
    var dels = DeletionSet(docCount: info.docCount)
    dels.delete(3)
    try dels.write(to: dir, segment: "s", segmentID: info.id, generation: 1)
    dels.delete(7)
    try dels.write(to: dir, segment: "s", segmentID: info.id, generation: 2)
    let r1 = try SegmentReader.open(in: dir, segment: "s", deletionGeneration: 1)
    #expect(r1.isDeleted(3) && !r1.isDeleted(7))
    #expect(r1.liveDocCount == 49)
    let r2 = try SegmentReader.open(in: dir, segment: "s", deletionGeneration: 2)
    #expect(r2.isDeleted(3) && r2.isDeleted(7) && r2.liveDocCount == 48)
    try r2.verify()
    let r0 = r2.withDeletions(nil, generation: nil)
    #expect(r0.liveDocCount == 50)
  }

  @Test("a mapped reader outlives the deletion of its files", arguments: DirectoryKind.allCases)
  func outlives(kind: DirectoryKind) throws {
    let dir = try kind.make()
    defer { cleanUp(dir) }
    var rng = SeededRandom(seed: 12)
    let docs = ModelCorpus.randomDocuments(&rng, count: 30)
    _ = try ModelCorpus.write(docs, to: dir, name: "s")
    let reader = try SegmentReader.open(in: dir, segment: "s")
    for name in try dir.listAll() { try dir.delete(name) }
    #expect(try reader.document(5) == docs[5].stored)
  }

  @Test("a segment from the analyzer's point of view: bytes in, the same bytes out")
  func bytes() throws {
    let dir = MemoryDirectory()
    let w = SegmentWriter(schema: .standard)
    var doc = SegmentDocument(schema: .standard)
    doc.text[2].append([0xFF, 0x00, 0x41], position: 0)  // not UTF-8: the index does not care
    doc.text[2].append([], position: 1)  // the empty term
    w.add(doc)
    _ = try w.flush(to: dir, name: "s")
    let r = try SegmentReader.open(in: dir, segment: "s")
    #expect(r.postings(field: 2, term: [0xFF, 0x00, 0x41])?.doc == 0)
    var empty = r.postings(field: 2, term: [])
    #expect(empty?.positions() == [1])
    try r.verify()
  }

  @Test("positions given out of order are sorted; terms over the length limit are skipped")
  func positionsAndLongTerms() throws {
    let dir = MemoryDirectory()
    let w = SegmentWriter(schema: .standard)
    var doc = SegmentDocument(schema: .standard)
    let word = Array("spy".utf8)
    doc.text[2].append(word, position: 5)
    doc.text[2].append(word, position: 1)
    doc.text[2].append([UInt8](repeating: 97, count: SegmentWriter.maxTermLength + 1), position: 2)
    doc.text[2].append(word, position: 3)
    doc.keywords[5] = [[UInt8](repeating: 98, count: SegmentWriter.maxTermLength + 1)]
    w.add(doc)
    #expect(w.skippedLongTerms == 2)
    _ = try w.flush(to: dir, name: "s")
    let r = try SegmentReader.open(in: dir, segment: "s")
    var c = r.postings(field: 2, term: word)!
    #expect(c.freq == 3 && c.positions() == [1, 3, 5])
    #expect(r.termCount == 1)
    #expect(r.fieldLength(field: 2, doc: 0) == 4)
    try r.verify()
  }
}
