import ArgumentParser
import Dossier
import DossierSearch
import Foundation

/// `dossier-bench relevance`: nDCG@10 and recall of analyzer variants on the test collections
/// of ../shared/eval, with a plain exhaustive BM25 (k1 0.9, b 0.4, title and text as one field,
/// as the reference runs). It compares analysis chains only; the engine's own search is
/// measured by `dossier eval`.
struct RelevanceBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "relevance",
    abstract: "nDCG@10 of analyzer variants on ../shared/eval (exhaustive BM25, one field).")

  @Option(help: "The folder of the test collections.")
  var eval = "../shared/eval"

  @Option(help: "Collections to measure.")
  var collection: [String] = ["scifact", "cranfield"]

  func run() throws {
    var variants: [(String, Analyzer)] = [("lucene-english", .luceneEnglish), ("standard", .standard)]
    var fixed = Analyzer.standard
    fixed.detectLanguage = false
    variants.append(("standard, no language detection", fixed))
    var porter = Analyzer.standard
    porter.stemming = .algorithm("porter")
    variants.append(("standard, original Porter", porter))
    var noStop = Analyzer.standard
    noStop.stopwords = .none
    variants.append(("standard, no stopwords", noStop))
    var keepMarks = Analyzer.standard
    keepMarks.diacriticFolding = false
    variants.append(("standard, diacritics kept", keepMarks))
    var noStem = Analyzer.standard
    noStem.stemming = .none
    variants.append(("standard, no stemming", noStem))

    for name in collection {
      let folder = "\(eval)/\(name)"
      let docs = try Self.readJSONL("\(folder)/corpus.jsonl").map {
        (
          id: $0["_id"] as? String ?? "",
          text: ($0["title"] as? String ?? "") + " " + ($0["text"] as? String ?? "")
        )
      }
      let queries = try Self.readJSONL("\(folder)/queries.jsonl").map {
        (id: $0["_id"] as? String ?? "", text: $0["text"] as? String ?? "")
      }
      let qrels = try Qrels(contentsOfFile: "\(folder)/qrels.tsv")
      print("\(name): \(docs.count) docs, \(queries.count) queries")
      for (label, analyzer) in variants {
        let run = Self.search(docs: docs, queries: queries, analyzer: analyzer)
        let scores = EvaluationReport(run: run, qrels: qrels).mean
        print(
          "  \(label.padding(toLength: 34, withPad: " ", startingAt: 0)) nDCG@10 \(String(format: "%.4f", scores.ndcg10))"
            + "  MAP \(String(format: "%.4f", scores.averagePrecision))  R@100 \(String(format: "%.4f", scores.recall100))"
        )
      }
    }
  }

  static func readJSONL(_ path: String) throws -> [[String: Any]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return try data.split(separator: UInt8(ascii: "\n")).map {
      try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] ?? [:]
    }
  }

  /// Exhaustive BM25 over an in-memory inverted index; the top 1000 per query, ties by id.
  static func search(
    docs: [(id: String, text: String)], queries: [(id: String, text: String)], analyzer: Analyzer
  ) -> TrecRun {
    let session = AnalysisSession(analyzer)
    var postings: [String: [(doc: Int, tf: Int)]] = [:]
    var lengths: [Double] = []
    var docLanguages: Set<Language> = []
    for (i, doc) in docs.enumerated() {
      var text = doc.text
      let language = text.withUTF8 { analyzer.language(named: nil, text: $0) }
      docLanguages.insert(language)
      let out = session.analyze(doc.text, language: language)
      lengths.append(Double(out.count))
      var tf: [String: Int] = [:]
      for k in 0..<out.count { tf[out.term(k), default: 0] += 1 }
      for (term, n) in tf { postings[term, default: []].append((i, n)) }
    }
    let n = Double(docs.count)
    let average = lengths.reduce(0, +) / n
    let k1 = 0.9
    let b = 0.4
    var hits: [String: [TrecRun.Hit]] = [:]
    let languages = analyzer.detectLanguage ? docLanguages.sorted() : [analyzer.defaultLanguage]
    for query in queries {
      var scores = [Double](repeating: 0, count: docs.count)
      for word in session.queryTerms(query.text, languages: languages) {
        // The variants of one word score as one term: summed frequencies, the union's df.
        var tf: [Int: Int] = [:]
        for variant in word.variants {
          for p in postings[variant] ?? [] { tf[p.doc, default: 0] += p.tf }
        }
        let df = Double(tf.count)
        guard df > 0 else { continue }
        let idf = log(1 + (n - df + 0.5) / (df + 0.5))
        for (doc, f) in tf {
          let f = Double(f)
          scores[doc] += idf * f / (f + k1 * (1 - b + b * lengths[doc] / average))
        }
      }
      let ranked = scores.indices.filter { scores[$0] > 0 }
        .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : docs[$0].id < docs[$1].id }
        .prefix(1000)
      hits[query.id] = ranked.map { TrecRun.Hit(document: docs[$0].id, score: scores[$0]) }
    }
    return TrecRun(hits)
  }
}
