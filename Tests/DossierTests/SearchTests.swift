import DossierTestSupport
import Foundation
import Testing

@testable import Dossier

/// A small index built through the public API, searched through the public API.
final class SearchFixture: @unchecked Sendable {
  let path: String
  let searcher: Searcher

  static let documents: [Document] = [
    Document(
      id: "d1", type: .text, title: "Safe city cameras in Nairobi",
      metadata: ["date": "2015-01-10", "lang": "en", "author": "Desk A"],
      blocks: ["Huawei built a safe city network of cameras in Nairobi in 2015.", "The contract was large."]),
    Document(
      id: "d2", type: .text, title: "Pegasus spyware in Mexico",
      metadata: ["date": "2017-06-19", "lang": "en"],
      blocks: ["NSO Group sold Pegasus to Mexican agencies; journalists were targeted."]),
    Document(
      id: "d3", type: .text, title: "City of cameras", metadata: ["date": "2019-03-01", "lang": "en"],
      blocks: ["The city installed cameras. Safe streets were promised by the vendor."]),
    Document(
      id: "d4", type: .html, title: "Vigilancia en Quito", metadata: ["date": "2019-06-02", "lang": "es"],
      blocks: ["Las cámaras del sistema ECU-911 vigilan la ciudad de Quito."]),
    Document(
      id: "d5", type: .text, title: "Deleted", metadata: ["lang": "en"],
      blocks: ["safe city safe city safe city"]),
    Document(
      id: "d6", type: .text, title: "Facial recognition at the border",
      metadata: ["date": "2021-02-01", "lang": "en", "author": "Desk B"],
      blocks: ["Facial recognition systems flag travellers; the recognition of faces is automated."]),
    Document(
      id: "e2", type: .text, title: "Twin", metadata: ["lang": "en"], blocks: ["drones over the harbour"]),
    Document(
      id: "e1", type: .text, title: "Twin", metadata: ["lang": "en"], blocks: ["drones over the harbour"]),
  ]

  init() throws {
    path = FileManager.default.temporaryDirectory.path + "/dossier-search-" + UUID().uuidString
    let indexer = try Indexer(path: path, create: IndexSettings())
    for doc in Self.documents.prefix(4) { try indexer.update(doc) }
    try indexer.commit()
    for doc in Self.documents.dropFirst(4) { try indexer.update(doc) }
    try indexer.delete(id: "d5")
    try indexer.commit()
    indexer.close()
    searcher = try Searcher(path: path)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  static let shared = try! SearchFixture()

  func ids(_ query: String, and: Bool = false, limit: Int = 10) throws -> [String] {
    var options = SearchOptions()
    options.defaultOperator = and ? .and : .or
    return try searcher.search(query, limit: limit, options: options).hits.map(\.id)
  }
}

@Suite struct SearchTests {
  let f = SearchFixture.shared

  @Test func wordsAreARankedOr() throws {
    let hits = try f.ids("safe city")
    #expect(hits.first == "d1")
    #expect(Set(hits).isSuperset(of: ["d1", "d3"]))
    // Deleted documents never appear.
    #expect(!hits.contains("d5"))
    #expect(try f.ids("safe city Nairobi", and: true) == ["d1"])
    // A stopword neither requires nor excludes anything, with AND as with OR.
    #expect(try f.ids("the safe city in Nairobi", and: true) == ["d1"])
    #expect(try f.ids("+the Nairobi") == ["d1"])
  }

  @Test func phrasesAndSlop() throws {
    #expect(try f.ids(#""safe city""#) == ["d1"])
    #expect(try f.ids(#""safe network""#) == [])
    #expect(try f.ids(#""safe network"~2"#) == ["d1"])
    #expect(try f.ids(#"title:"city cameras""#) == ["d1"])
  }

  @Test func booleanOperators() throws {
    #expect(try f.ids("+pegasus mexico") == ["d2"])
    #expect(try f.ids("pegasus AND journalists") == ["d2"])
    #expect(!(try f.ids("cameras -Nairobi")).contains("d1"))
    #expect(try f.ids("cameras -Nairobi").contains("d3"))
    #expect(try f.ids("pegasus NOT mexico") == [])
    #expect(Set(try f.ids("pegasus OR recognition")) == ["d2", "d6"])
    #expect(try f.ids("(pegasus OR recognition) AND border") == ["d6"])
    // Only exclusions match nothing.
    #expect(try f.ids("-pegasus") == [])
  }

  @Test func fieldsPrefixesAndDates() throws {
    #expect(Set(try f.ids("title:cameras")) == ["d1", "d3"])
    #expect(try f.ids(#"author:"Desk B""#) == ["d6"])
    #expect(try f.ids("lang:es") == ["d4"])
    #expect(try f.ids("id:d2") == ["d2"])
    #expect(try f.ids("type:html") == ["d4"])
    #expect(try f.ids("recog*") == ["d6"])
    #expect(Set(try f.ids("date:2019..2019")) == ["d3", "d4"])
    #expect(try f.ids("date:>=2020") == ["d6"])
    #expect(try f.ids("cameras date:..2016-12-31", and: true) == ["d1"])
  }

  @Test func aQueryInSpanishFindsTheSpanishDocument() throws {
    #expect(try f.ids("cámaras Quito").first == "d4")
    // "de" is a Spanish stopword (and an English word): it drops out of the phrase, which keeps
    // its places.
    #expect(try f.ids(#""ciudad de Quito""#) == ["d4"])
    #expect(try f.ids("vigilancia").first == "d4")
  }

  @Test func tiesAreBrokenByIdAndPagingIsConsistent() throws {
    #expect(try f.ids("drones harbour") == ["e1", "e2"])
    let all = try f.ids("cameras OR city OR recognition OR pegasus OR drones", limit: 100)
    #expect(all.count == 6)  // d4 (Spanish) has none of the words in its own language
    var paged: [String] = []
    for offset in stride(from: 0, to: 6, by: 2) {
      paged += try f.searcher.search(
        "cameras OR city OR recognition OR pegasus OR drones", limit: 2, offset: offset
      )
      .hits.map(\.id)
    }
    #expect(paged == all)
    #expect(try f.searcher.search("cameras OR city OR recognition OR pegasus OR drones", limit: 1).total == 6)
  }

  @Test func explanationsAddUpToTheScore() throws {
    var options = SearchOptions()
    options.explain = true
    for hit in try f.searcher.search("safe city cameras Nairobi", options: options).hits {
      let sum = hit.explanation.reduce(0) { $0 + $1.score }
      #expect(abs(sum - hit.score) < 1e-9, "\(hit.id)")
      #expect(!hit.explanation.isEmpty)
    }
    let top = try f.searcher.search("Nairobi", options: options).hits[0]
    #expect(Set(top.explanation.map(\.field)) == ["title", "body"])
  }

  @Test func snippetsHighlightWordsAndPhrases() throws {
    let hit = try f.searcher.search(#""safe city" contract"#).hits[0]
    #expect(hit.id == "d1")
    let body = SearchFixture.documents[0].bodyText
    let utf8 = Array(body.utf8)
    let highlighted = hit.snippets.flatMap(\.highlights).map {
      String(decoding: utf8[$0.start..<$0.end], as: UTF8.self)
    }
    #expect(highlighted.contains("safe city"))
    #expect(highlighted.contains("contract"))
    for s in hit.snippets {
      #expect(body.utf8.dropFirst(s.start).starts(with: s.text.utf8))
      for h in s.highlights {
        #expect(
          h.characterEnd - h.characterStart
            == String(decoding: utf8[h.start..<h.end], as: UTF8.self).unicodeScalars.count)
      }
    }
    // Character offsets differ from byte offsets after a non-ASCII character.
    let spanish = try f.searcher.search("Quito").hits[0]
    let h = try #require(spanish.snippets.first?.highlights.first)
    #expect(h.start - h.characterStart == 1)  // "á" is two bytes, one character
  }

  @Test func strictModeReportsThePosition() throws {
    var options = SearchOptions()
    options.strict = true
    #expect(throws: DossierError.self) { try f.searcher.search("safe AND (city", options: options) }
    do {
      _ = try f.searcher.search(#"safe "city"#, options: options)
      Issue.record("no error")
    } catch let error {
      guard case .querySyntax(_, let position) = error else {
        Issue.record("\(error)")
        return
      }
      #expect(position == 5)
    }
  }

  @Test func anyTextIsAnsweredLeniently() throws {
    var rng = SystemRandomNumberGenerator()
    let pieces = [
      "safe", "\"", "(", ")", "AND", "OR", "NOT", "-", "+", "*", ":", "title:", "date:", "..", "~", "9", " ",
      "é", "東",
    ]
    for _ in 0..<300 {
      let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
        .joined()
      _ = try f.searcher.search(text)
    }
  }

  @Test func documentsById() throws {
    #expect(try f.searcher.document(id: "d2")?.title == "Pegasus spyware in Mexico")
    #expect(try f.searcher.document(id: "d5") == nil)
    #expect(try f.searcher.document(id: "nope") == nil)
  }

  /// Options are per search: threads searching one `Searcher` with different k1, b and field
  /// weights each get the scores a search alone would give.
  @Test func concurrentSearchesWithDifferentOptionsDoNotMix() async throws {
    let searcher = f.searcher
    let queries = ["safe city cameras", "recognition", "pegasus mexico", "city"]
    func options(_ i: Int) -> SearchOptions {
      var o = SearchOptions()
      o.k1 = [0.5, 1.2, 2.0][i % 3]
      o.b = [0.2, 0.75, 1.0][i % 3]
      o.titleWeight = [1, 3, 8][i % 3]
      return o
    }
    var expected: [[Double]] = []
    for i in 0..<12 {
      expected.append(try searcher.search(queries[i % queries.count], options: options(i)).hits.map(\.score))
    }
    #expect(Set(expected.map { $0.first ?? 0 }).count > 3)
    try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
      for _ in 0..<20 {
        for i in 0..<12 {
          group.addTask {
            (i, try searcher.search(queries[i % queries.count], options: options(i)).hits.map(\.score))
          }
        }
      }
      for try await (i, scores) in group { #expect(scores == expected[i], "search \(i)") }
    }
  }
}
