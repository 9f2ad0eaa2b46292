import DossierTestSupport
import Foundation
import Testing

@testable import DossierIndex

/// Reading the skip data of every format version: `Golden/v1-skip` is a segment written by
/// format version 1 (skip entries with one (MaxFreq, MinLength) pair per block) whose terms are
/// long enough to have skip tables; a build that writes a newer version must still read it.
@Suite("Skip data of older format versions")
struct SkipDataCompatibilityTests {
  static let segmentID: UInt64 = 0x5EED_0000_0000_0001
  static let documents = 700

  /// The deterministic documents of the fixture: every doc has `common` (1 to 5 times) and a
  /// length from 3 to 52 tokens; every 3rd doc has `third` (1 to 3 times).
  static func bodyTokens(_ i: Int) -> [String] {
    let length = 3 + (i * 37) % 50
    var words = [String](repeating: "", count: length)
    for j in 0..<length { words[j] = "w\((i + j) % 11)" }
    for j in 0..<(1 + i % 5) { words[(j * 7) % length] = "common" }
    if i % 3 == 0 { for j in 0..<(1 + i % 3) { words[(j * 5 + 1) % length] = "third" } }
    return words
  }

  static func write(to dir: any Directory) throws {
    let schema = FieldSchema.standard
    let w = SegmentWriter(schema: schema)
    var doc = SegmentDocument(schema: schema)
    for i in 0..<documents {
      doc.removeAll()
      for (p, word) in bodyTokens(i).enumerated() {
        doc.text[2].append(Array(word.utf8), position: UInt32(p))
      }
      doc.keywords[4] = [Array("d\(i)".utf8)]
      doc.stored = Array("doc \(i)".utf8)
      w.add(doc)
    }
    _ = try w.flush(to: dir, name: "seg_1", id: segmentID)
  }

  static var path: String {
    let here = #filePath
    return String(here[..<here.lastIndex(of: "/")!]) + "/Golden/v1-skip"
  }

  /// Every term of the fixture read back from the version 1 files equals the same documents
  /// written now (in the current version), and the version 1 bounds still bound every document.
  @Test("a version 1 segment with skip tables reads and verifies")
  func readsVersion1() throws {
    let old = try SegmentReader.open(in: try FileDirectory(path: Self.path), segment: "seg_1")
    try old.verify()
    let current = MemoryDirectory()
    try Self.write(to: current)
    let new = try SegmentReader.open(in: current, segment: "seg_1")
    #expect(try current.readFile("seg_1.doc") != FileDirectory(path: Self.path).readFile("seg_1.doc"))
    var terms = old.terms(field: 2)
    var longLists = 0
    while terms.next() {
      var a = old.postings(field: 2, info: terms.info)
      var b = new.postings(field: 2, term: terms.term)!
      if a.blockCount > 1 { longLists += 1 }
      let lengths = old.norms(field: 2)
      while a.doc != PostingsCursor.noMoreDocs {
        #expect(a.doc == b.doc && a.freq == b.freq && a.positions() == b.positions())
        let (f, l) = (Double(a.freq), Double(lengths?[a.doc] ?? 0))
        a.shallowAdvance(to: a.doc)
        #expect(a.blockMaxNormalizedFreq(normBase: 0.25, normSlope: 0.02) >= f / (0.25 + 0.02 * l))
        a.next()
        b.next()
      }
      #expect(b.doc == PostingsCursor.noMoreDocs)
    }
    #expect(longLists >= 2)
  }
  /// A merge reads each input in its own version and writes the current one: the version 1
  /// segment (horizontal full blocks) merged with the same documents written now (vertical
  /// blocks) holds every posting twice, the second copy shifted by the first's documents.
  @Test("a version 1 segment merges with a current one")
  func mergesAcrossVersions() throws {
    let old = try SegmentReader.open(in: try FileDirectory(path: Self.path), segment: "seg_1")
    let dir = MemoryDirectory()
    try Self.write(to: dir)
    let new = try SegmentReader.open(in: dir, segment: "seg_1")
    _ = try SegmentMerger.merge([old, new], into: dir, name: "m")
    let merged = try SegmentReader.open(in: dir, segment: "m")
    try merged.verify()
    #expect(merged.docCount == 2 * UInt32(Self.documents))
    var terms = old.terms(field: 2)
    var checked = 0
    while terms.next() {
      var expected: [(UInt32, UInt32, [UInt32])] = []
      for (shift, reader) in [(UInt32(0), old), (UInt32(Self.documents), new)] {
        var c = reader.postings(field: 2, term: terms.term)!
        while c.doc != PostingsCursor.noMoreDocs {
          expected.append((c.doc + shift, c.freq, c.positions()))
          c.next()
        }
      }
      var m = merged.postings(field: 2, term: terms.term)!
      for (doc, freq, positions) in expected {
        #expect(m.doc == doc && m.freq == freq && m.positions() == positions)
        m.next()
      }
      #expect(m.doc == PostingsCursor.noMoreDocs)
      checked += 1
    }
    #expect(checked > 0)
  }
}
