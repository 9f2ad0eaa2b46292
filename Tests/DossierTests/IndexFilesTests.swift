import DossierIndex
import DossierTestSupport
import Foundation
import Testing

@testable import Dossier

/// Copies a folder to a new temporary one; returns its path.
func copyFolder(_ source: String) throws -> String {
  let target = FileManager.default.temporaryDirectory.path + "/dossier-test-" + UUID().uuidString
  try FileManager.default.copyItem(atPath: source, toPath: target)
  return target
}

/// The committed index of format version 1 under Tests/DossierTests/GoldenIndex: four JSON
/// Lines documents indexed with the standard profile, then g4 removed (a second commit with a
/// deletions file). It must stay readable by every later build.
@Suite struct GoldenIndexTests {
  static let path = repositoryRoot + "/Tests/DossierTests/GoldenIndex"

  @Test func theGoldenIndexOpensAndHoldsItsDocuments() throws {
    let copy = try copyFolder(Self.path)
    defer { try? FileManager.default.removeItem(atPath: copy) }
    let report = try CheckReport.run(path: copy)
    #expect(report.documents == 3)
    #expect(report.filesChecked == 10)
    let stats = try IndexStatistics.read(path: copy)
    #expect(stats.generation == 2)
    #expect(stats.deleted == 1)
    #expect(stats.settings.analyzer == .standard)
    #expect(stats.settings.k1 == 0.9 && stats.settings.b == 0.4)
    let snapshot = try #require(try IndexSnapshot.open(FileDirectory(path: copy)))
    let segment = snapshot.segments[0]
    // Terms as the standard analyzer made them, each in its document's language.
    func docs(_ field: FieldNumber, _ term: String) -> [UInt32] {
      guard var c = segment.postings(field: field, term: Array(term.utf8)) else { return [] }
      var out: [UInt32] = []
      while c.doc != PostingsCursor.noMoreDocs {
        out.append(c.doc)
        c.next()
      }
      return out
    }
    #expect(docs(2, "camera") == [0])
    #expect(docs(2, "cam") == [1])
    #expect(docs(0, "vigil") == [1])
    #expect(docs(2, "摄像") == [2])
    #expect(docs(6, "zh") == [2])
    #expect(segment.isDeleted(3))
    #expect(segment.number(field: 8, doc: 0) == DayNumber.days(year: 2019, month: 5, day: 2))
    let stored = try StoredDocument.decode(try segment.document(1))
    #expect(stored.title == "Vigilancia en Quito")
    #expect(stored.metadata["lang"] == "es")
  }
}

/// `dossier check` catches a byte flipped anywhere in any index file, and names the file.
@Suite struct CorruptionDetectionTests {
  @Test func aFlippedByteInAnyFileIsFoundAndNamed() throws {
    var rng = SystemRandomNumberGenerator()
    let names = try FileManager.default.contentsOfDirectory(atPath: GoldenIndexTests.path).sorted()
    #expect(names.count == 10)
    var flips = 0
    for name in names {
      let size =
        try FileManager.default.attributesOfItem(atPath: GoldenIndexTests.path + "/" + name)[.size] as! Int
      // The first and last bytes, every byte of the header, and random ones.
      var offsets = Set(0..<min(size, 24))
      offsets.insert(size - 1)
      offsets.insert(size / 2)
      for _ in 0..<12 { offsets.insert(Int.random(in: 0..<size, using: &rng)) }
      for offset in offsets.sorted() {
        let copy = try copyFolder(GoldenIndexTests.path)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let url = URL(fileURLWithPath: copy + "/" + name)
        var bytes = try Data(contentsOf: url)
        bytes[offset] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
        try bytes.write(to: url)
        do {
          _ = try CheckReport.run(path: copy)
          Issue.record("\(name): a flipped byte at \(offset) went unnoticed")
        } catch let error {
          switch error {
          case .corrupt(let file, _), .unsupportedVersion(let file, _, _):
            #expect(file.hasSuffix(name), "\(name) at \(offset): blamed \(file)")
          default:
            Issue.record("\(name) at \(offset): \(error)")
          }
        }
        flips += 1
      }
    }
    #expect(flips > 250)
  }
}
