import DossierSearch
import DossierTestSupport
import Foundation
import Testing

@testable import Dossier

/// Phrase matching against a model that reads the words of each document: for random
/// documents and random phrases with slop 0 to 3, the documents found and their phrase
/// frequencies (seen through `--explain`) are the model's.
@Suite struct PhrasePropertyTests {
  /// Words that are no stopwords and that the standard English analysis keeps apart.
  static let vocabulary = ["camera", "spyware", "police", "export", "vendor", "court", "drone", "leak"]

  /// The model's phrase frequency in one field: each occurrence of the first word whose
  /// distances to the nearest occurrence of every other word (at its place in the phrase) add up
  /// to at most `slop`.
  static func frequency(_ words: [String], _ phrase: [String], slop: Int) -> Int {
    var count = 0
    for (start, w) in words.enumerated() where w == phrase[0] {
      var spread = 0
      for (k, p) in phrase.enumerated().dropFirst() {
        let nearest = words.indices.filter { words[$0] == p }.map { abs($0 - k - start) }.min() ?? Int.max / 4
        spread += nearest
      }
      if spread <= slop { count += 1 }
    }
    return count
  }

  @Test(arguments: [UInt64(5), 6])
  func phrasesMatchTheModel(seed: UInt64) throws {
    var rng = SeededRandom(seed: seed)
    let path = FileManager.default.temporaryDirectory.path + "/dossier-phrase-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    let indexer = try Indexer(path: path, create: IndexSettings(), ramBudget: 1 << 20)
    var bodies: [String: [String]] = [:]
    for i in 0..<300 {
      let words = (0..<Int.random(in: 1...40, using: &rng)).map { _ in
        Self.vocabulary[Int.random(in: 0..<Self.vocabulary.count, using: &rng)]
      }
      bodies["p\(i)"] = words
      try indexer.update(
        Document(
          id: "p\(i)", type: .text, title: "", metadata: ["lang": "en"],
          blocks: [words.joined(separator: " ")]))
      if i % 100 == 99 { try indexer.commit() }
    }
    try indexer.commit()
    indexer.close()
    let searcher = try Searcher(path: path)
    var options = SearchOptions()
    options.explain = true
    options.fetchDocuments = false
    var matched = 0
    for _ in 0..<80 {
      let phrase = (0..<Int.random(in: 2...3, using: &rng)).map { _ in
        Self.vocabulary[Int.random(in: 0..<Self.vocabulary.count, using: &rng)]
      }
      let slop = Int.random(in: 0...3, using: &rng)
      let query = Query.phrase(phrase.joined(separator: " "), slop: slop)
      let results = try searcher.search(query, limit: 1000, options: options)
      var expected: [String: Int] = [:]
      for (id, words) in bodies {
        let f = Self.frequency(words, phrase, slop: slop)
        if f > 0 { expected[id] = f }
      }
      var found: [String: Int] = [:]
      for hit in results.hits { found[hit.id] = hit.explanation.first?.frequency ?? 0 }
      #expect(found == expected, "\"\(phrase.joined(separator: " "))\"~\(slop)")
      #expect(results.total == expected.count)
      matched += expected.count
    }
    #expect(matched > 100)
  }
}
