import DossierIndex
import DossierSearch
import DossierTestSupport
import Foundation
import Testing

@testable import Dossier

/// Top-k pruning (MaxScore, block-max windows, a phrase's skipping of candidates that cannot
/// compete) against the exhaustive evaluation on random indexes and queries: the same top-k,
/// hit for hit, with the same scores.
@Suite struct TopKPropertyTests {
  static let vocabulary = [
    "camera", "spyware", "police", "export", "network", "vendor", "data", "court", "city", "border", "phone",
    "license", "contract", "protest", "drone", "satellite", "biometric", "face", "archive", "leak",
  ]

  @Test(arguments: [UInt64(1), 2, 3])
  func maxScoreEqualsExhaustive(seed: UInt64) throws {
    var rng = SeededRandom(seed: seed)
    let path = FileManager.default.temporaryDirectory.path + "/dossier-topk-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    let indexer = try Indexer(path: path, create: IndexSettings(), ramBudget: 1 << 20)
    let count = Int.random(in: 150...400, using: &rng)
    for i in 0..<count {
      // Skewed word choice so that some terms are frequent and some rare.
      func words(_ n: Int) -> String {
        (0..<n).map { _ in
          let r = Double.random(in: 0..<1, using: &rng)
          return Self.vocabulary[Int(r * r * Double(Self.vocabulary.count))]
        }.joined(separator: " ")
      }
      try indexer.update(
        Document(
          id: "doc-\(i)", type: .text, title: words(Int.random(in: 0...4, using: &rng)),
          metadata: ["lang": "en"], blocks: [words(Int.random(in: 1...60, using: &rng))]))
      if i % 97 == 0 { try indexer.commit() }
      if i % 13 == 0 { try indexer.delete(id: "doc-\(Int.random(in: 0...i, using: &rng))") }
    }
    try indexer.commit()
    indexer.close()
    let searcher = try Searcher(path: path)
    #expect(searcher.engine.snapshot.segments.count > 1)
    var skipped = 0
    var skippedPhrases = 0
    for round in 0..<90 {
      let n = Int.random(in: 1...5, using: &rng)
      let text = (0..<n).map { _ in Self.vocabulary.randomElement(using: &rng)! }.joined(separator: " ")
      let pair =
        "\(Self.vocabulary[Int(Double.random(in: 0..<1, using: &rng) * 6)]) \(Self.vocabulary[Int(Double.random(in: 0..<1, using: &rng) * 6)])"
      // Ranked ORs and ANDs of words, phrases (pruned inside the phrase scorer), and phrases
      // within a ranked OR (pruned by MaxScore).
      let query: Query
      switch round % 4 {
      case 0, 1: query = Query(words: text, defaultOperator: round % 4 == 0 ? .or : .and)
      case 2: query = .phrase(pair, slop: Int.random(in: 0...2, using: &rng))
      default: query = .or([.phrase(pair), .term(Self.vocabulary.randomElement(using: &rng)!)])
      }
      let k = [1, 3, 10, 50].randomElement(using: &rng)!
      let exhaustive = searcher.engine.search(query, limit: k, exactTotal: true)
      let pruned = searcher.engine.search(query, limit: k, exactTotal: false)
      #expect(exhaustive.hits.map(\.id) == pruned.hits.map(\.id), "\(query.syntax) k=\(k)")
      #expect(exhaustive.hits.map(\.score) == pruned.hits.map(\.score), "\(query.syntax) k=\(k)")
      #expect(pruned.total <= exhaustive.total)
      // With `explain`, every query goes through the general scorer tree (no specialized loop
      // such as the two-word AND's): the same hits and scores.
      let general = searcher.engine.search(query, limit: k, explain: true, exactTotal: true)
      #expect(general.hits.map(\.id) == exhaustive.hits.map(\.id), "\(query.syntax) k=\(k)")
      #expect(general.hits.map(\.score) == exhaustive.hits.map(\.score), "\(query.syntax) k=\(k)")
      #expect(general.total == exhaustive.total, "\(query.syntax) k=\(k)")
      if pruned.total < exhaustive.total {
        skipped += 1
        if round % 4 == 2 { skippedPhrases += 1 }
      }
    }
    // MaxScore did skip documents (it is not the exhaustive loop in disguise).
    #expect(skipped > 10)
    #expect(skippedPhrases > 0)
  }

  /// One word in one field, alone or left alone by stopwords (the one-word loop, which divides
  /// out a score only when it can enter the top k), in ranked and AND queries: the same hits
  /// and scores as the general scorer tree.
  @Test func singleWordEqualsGeneral() throws {
    var rng = SeededRandom(seed: 11)
    let path = FileManager.default.temporaryDirectory.path + "/dossier-topk-one-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    let indexer = try Indexer(path: path, create: IndexSettings(), ramBudget: 1 << 20)
    for i in 0..<2000 {
      let words = (0..<Int.random(in: 3...90, using: &rng)).map { _ in
        Self.vocabulary[
          Int(Double.random(in: 0..<1, using: &rng) * Double.random(in: 0..<1, using: &rng) * 20)]
      }
      try indexer.update(
        Document(
          id: "doc-\(i)", type: .text, title: "", metadata: ["lang": "en"],
          blocks: [words.joined(separator: " ")]))
      if i % 400 == 0 { try indexer.commit() }
      if i % 7 == 0 { try indexer.delete(id: "doc-\(i / 2)") }
    }
    try indexer.commit()
    indexer.close()
    let searcher = try Searcher(path: path)
    var pruned = 0
    for word in Self.vocabulary {
      for (text, k) in [(word, 1), (word, 10), ("the \(word)", 10), (word, 100)] {
        for op in [QueryOperator.or, .and] {
          let query = Query(words: text, defaultOperator: op)
          let general = searcher.engine.search(query, limit: k, explain: true, exactTotal: true)
          let exhaustive = searcher.engine.search(query, limit: k, exactTotal: true)
          let fast = searcher.engine.search(query, limit: k, exactTotal: false)
          for r in [exhaustive, fast] {
            #expect(r.hits.map(\.id) == general.hits.map(\.id), "\(text) k=\(k)")
            #expect(r.hits.map(\.score) == general.hits.map(\.score), "\(text) k=\(k)")
          }
          #expect(exhaustive.total == general.total)
          if fast.total < exhaustive.total { pruned += 1 }
        }
      }
    }
    #expect(pruned > 0)
  }

  /// An AND of a rare word and a frequent one (the frequent one at least 8 times as costly):
  /// the conjunction passes over the rare word's candidates that cannot compete before it
  /// moves the frequent word's cursor, and still returns the exhaustive top-k.
  @Test(arguments: [UInt64(7), 8])
  func sparseConjunctionEqualsExhaustive(seed: UInt64) throws {
    var rng = SeededRandom(seed: seed)
    let path = FileManager.default.temporaryDirectory.path + "/dossier-topk-and-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: path) }
    let indexer = try Indexer(path: path, create: IndexSettings())
    for i in 0..<3000 {
      var words = (0..<Int.random(in: 5...80, using: &rng)).map { _ in
        Self.vocabulary.randomElement(using: &rng)!
      }
      words += [String](repeating: "common", count: Int.random(in: 1...4, using: &rng))
      if i % 15 == 0 { words += [String](repeating: "rarity", count: Int.random(in: 1...3, using: &rng)) }
      try indexer.update(
        Document(
          id: "doc-\(i)", type: .text, title: "", metadata: ["lang": "en"],
          blocks: [words.joined(separator: " ")]))
    }
    try indexer.forceMerge()
    // Deleted documents in the merged segment, which the loops must pass over.
    for i in stride(from: 0, to: 3000, by: 13) { try indexer.delete(id: "doc-\(i)") }
    try indexer.commit()
    indexer.close()
    let searcher = try Searcher(path: path)
    #expect(searcher.engine.snapshot.segments.allSatisfy { $0.liveDocCount < $0.docCount })
    for (text, k) in [
      ("rarity common", 1), ("common rarity", 5), ("rarity camera common", 3), ("rarity common", 20),
    ] {
      let query = Query(words: text, defaultOperator: .and)
      let exhaustive = searcher.engine.search(query, limit: k, exactTotal: true)
      let pruned = searcher.engine.search(query, limit: k, exactTotal: false)
      #expect(exhaustive.hits.count == k)
      #expect(exhaustive.hits.map(\.id) == pruned.hits.map(\.id), "\(text) k=\(k)")
      #expect(exhaustive.hits.map(\.score) == pruned.hits.map(\.score), "\(text) k=\(k)")
      let general = searcher.engine.search(query, limit: k, explain: true, exactTotal: true)
      #expect(general.hits.map(\.id) == exhaustive.hits.map(\.id), "\(text) k=\(k)")
      #expect(general.hits.map(\.score) == exhaustive.hits.map(\.score), "\(text) k=\(k)")
      // Candidates were passed over (only scored documents are counted when pruning).
      #expect(pruned.total < exhaustive.total, "\(text) k=\(k)")
    }
    // Ranked ORs of frequent words on the same index, long enough for MaxScore to make clauses
    // non-essential and to skip windows by their block bounds.
    for (text, k) in [("common camera", 3), ("camera spyware police", 10), ("common rarity camera", 5)] {
      let query = Query(words: text, defaultOperator: .or)
      let exhaustive = searcher.engine.search(query, limit: k, exactTotal: true)
      let pruned = searcher.engine.search(query, limit: k, exactTotal: false)
      #expect(exhaustive.hits.map(\.id) == pruned.hits.map(\.id), "\(text) k=\(k)")
      #expect(exhaustive.hits.map(\.score) == pruned.hits.map(\.score), "\(text) k=\(k)")
      #expect(pruned.total < exhaustive.total, "\(text) k=\(k)")
    }
  }
}
