import DossierIndex
import DossierTestSupport
import Foundation
import Testing

@testable import Dossier

/// What `dossier stats` reports for an index of several segments.
@Suite struct StatisticsTests {
  /// A term found in several segments counts once in its field's term count.
  @Test func termsAreCountedOnceAcrossSegments() throws {
    let path = FileManager.default.temporaryDirectory.path + "/stats-index-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    let indexer = try Indexer(path: path, create: IndexSettings())
    let texts = [
      ["cameras in the city", "police cameras"], ["city cameras and drones", "drones over the border"],
      ["border police"],
    ]
    var expected = Set<String>()
    let session = AnalysisSession(.standard)
    for (k, batch) in texts.enumerated() {
      for (i, text) in batch.enumerated() {
        try indexer.update(
          Document(id: "d\(k)-\(i)", type: .text, title: "", metadata: ["lang": "en"], blocks: [text]))
        for token in session.analyze(text, language: .english).tokens { expected.insert(token.term) }
      }
      try indexer.commit()
    }
    indexer.close()
    let stats = try IndexStatistics.read(path: path)
    #expect(stats.segments.count >= 2)
    let body = try #require(stats.fields.first { $0.name == "body" })
    #expect(body.terms == UInt64(expected.count))
    // The plain sum over segments counts the shared terms ("camera", "citi", ...) again.
    let snapshot = try #require(try IndexSnapshot.open(FileDirectory(path: path)))
    let summed = snapshot.segments.reduce(UInt64(0)) { $0 + $1.stats(field: 2).termCount }
    #expect(summed > body.terms)
  }
}
