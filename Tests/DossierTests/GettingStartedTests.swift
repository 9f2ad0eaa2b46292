import Dossier
import DossierTestSupport
import Foundation
import Testing

/// The example of Sources/Dossier/Dossier.docc/GettingStarted.md, as written there: it must
/// compile against the public API and do what the article says.
@Suite struct GettingStartedTests {
  @Test func theArticleExampleRuns() throws {
    let path = FileManager.default.temporaryDirectory.path + "/reports-index-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }

    let indexer = try Indexer(path: path, create: IndexSettings())
    try indexer.update(
      Document(
        id: "nairobi", type: .text, title: "Safe city cameras in Nairobi",
        metadata: ["date": "2015-01-10"],
        blocks: ["Huawei built a safe city network of 1,800 cameras in Nairobi."]))
    try indexer.update(
      Document(
        id: "quito", type: .text, title: "Vigilancia en Quito", metadata: ["lang": "es"],
        blocks: ["Las cámaras del sistema ECU-911 vigilan la ciudad."]))
    try indexer.commit()
    indexer.close()

    let searcher = try Searcher(path: path)
    let results = try searcher.search(#""safe city" cameras"#, limit: 5)
    for hit in results.hits {
      print(hit.score, hit.id, hit.title)
      for snippet in hit.snippets { print("  ", snippet.text) }
    }
    let spanish = try searcher.search("cámaras Quito")
    #expect(spanish.hits.first?.id == "quito")
    #expect(results.hits.first?.id == "nairobi")

    let query: Query = .and([.phrase("safe city"), .not(.term("pilot"))])
    let same = try searcher.search(query)
    #expect(same.hits.map(\.id) == ["nairobi"])
  }
}
