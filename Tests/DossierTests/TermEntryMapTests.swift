import DossierIndex
import DossierTestSupport
import Foundation
import Testing

@testable import Dossier

/// The segment writer maps the analyzer's term-cache entries to term ids once per cache epoch
/// (`TokenBuffer.entries`) instead of hashing every token's bytes. That is a shortcut only:
/// the segment must be the same, byte for byte, with the entries used, ignored, or coming from
/// a cache so small that it starts a new epoch every few words (in the middle of fields).
@Suite struct TermEntryMapTests {
  static let words = [
    "camera", "cameras", "Camera", "surveillance", "surveil", "police", "policing", "the", "and", "vendor",
    "vendors", "export", "exports", "exported", "data", "cámaras", "vigilancia", "policía", "监控", "摄像头",
    "face", "faces", "recognition", "a" + String(repeating: "x", count: 20_000),
  ]

  static func documents(_ rng: inout SeededRandom) -> [Document] {
    (0..<300).map { i in
      func text(_ n: Int) -> String {
        (0..<n).map { _ in words.randomElement(using: &rng)! }.joined(separator: i % 3 == 0 ? " " : ", ")
      }
      return Document(
        id: "d\(i)", type: .text, title: text(Int.random(in: 0...5, using: &rng)),
        metadata: i % 4 == 0 ? ["lang": "es"] : ["lang": "en"],
        headings: (0..<Int.random(in: 0...2, using: &rng)).map { _ in Heading(level: 2, text: text(3)) },
        blocks: (0..<Int.random(in: 1...3, using: &rng)).map { _ in text(Int.random(in: 1...40, using: &rng))
        })
    }
  }

  /// The files of one segment made from `docs` by a mapper set up by `configure`.
  static func segment(_ docs: [Document], _ configure: (DocumentMapper) -> Void) throws -> [String: [UInt8]] {
    let mapper = DocumentMapper(settings: IndexSettings())
    configure(mapper)
    let writer = SegmentWriter(schema: .standard)
    var fields = SegmentDocument(schema: .standard)
    for doc in docs {
      mapper.map(doc, into: &fields)
      writer.add(fields)
    }
    let dir = MemoryDirectory()
    _ = try writer.flush(to: dir, name: "seg_1", id: 42)
    var files: [String: [UInt8]] = [:]
    for name in try dir.listAll() { files[name] = try dir.readFile(name) }
    return files
  }

  @Test(arguments: [UInt64(1), 2])
  func theSegmentIsTheSameWithAndWithoutEntries(seed: UInt64) throws {
    var rng = SeededRandom(seed: seed)
    let docs = Self.documents(&rng)
    let plain = try Self.segment(docs) { $0.analyzed.recordsEntries = false }
    let mapped = try Self.segment(docs) { _ in }
    let churning = try Self.segment(docs) { $0.session.termCacheSlotsLog2 = 2 }
    #expect(plain.keys.sorted() == mapped.keys.sorted())
    for (name, bytes) in plain {
      let sameMapped = mapped[name] == bytes
      let sameChurning = churning[name] == bytes
      #expect(sameMapped, "\(name) differs when entries are used")
      #expect(sameChurning, "\(name) differs with a cache that keeps starting again")
    }
  }

  /// A cache that starts again in the middle of a text gives the field several runs of
  /// entries, each of its epoch, and every token keeps its entry (none falls back to hashing).
  @Test func aCacheRestartMidTextStartsANewRun() throws {
    let mapper = DocumentMapper(settings: IndexSettings())
    mapper.session.termCacheSlotsLog2 = 2
    var fields = SegmentDocument(schema: .standard)
    let doc = Document(
      id: "d", type: .text, title: "", metadata: ["lang": "en"], headings: [],
      blocks: ["camera police vendor export data face recognition surveillance camera police"])
    mapper.map(doc, into: &fields)
    let body = fields.text[Int(DocumentMapper.body)]
    #expect(body.count == 10)
    #expect(body.entries.count == body.count)
    #expect(!body.entries.contains(UInt32.max))
    #expect(body.entryRuns.count >= 3)
    #expect(body.entryRuns.first?.start == 0)
    let starts = body.entryRuns.map(\.start)
    #expect(starts == starts.sorted() && Set(starts).count == starts.count)
    #expect(Set(body.entryRuns.map(\.epoch)).count == body.entryRuns.count)
  }
}
