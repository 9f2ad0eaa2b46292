import DossierTestSupport
import Foundation
import Testing

@testable import DossierAnalysis

/// Counts tokens and distinct terms of a corpus.jsonl (title and text joined by a space), the
/// way Anserini's "flat" index sees it.
func corpusCounts(_ path: String, analyzer: Analyzer) throws -> (tokens: Int, terms: Int, docs: Int) {
  let data = try String(contentsOfFile: path, encoding: .utf8)
  let session = AnalysisSession(analyzer)
  var out = AnalyzedText()
  var terms = Set<[UInt8]>()
  var tokens = 0
  var docs = 0
  for line in data.split(separator: "\n") where !line.isEmpty {
    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    let title = object["title"] as? String ?? ""
    let text = object["text"] as? String ?? ""
    var joined = title + " " + text
    out.removeAll()
    joined.withUTF8 { session.analyze($0, language: .english, into: &out) }
    tokens += out.count
    docs += 1
    for i in 0..<out.count { terms.insert(Array(out.termBytes[out.termRange(i)])) }
  }
  return (tokens, terms.count, docs)
}

@Suite struct LuceneEnglishCountTests {
  // ../shared/eval/README.md: the reference index statistics of Anserini's analyzer.
  @Test(arguments: [
    ("scifact", 838_128, 28_865),
    ("cranfield", 154_931, 5_171),
  ])
  func tokenAndTermCountsMatchAnserini(collection: String, tokens: Int, terms: Int) throws {
    let counts = try corpusCounts("\(evalDataFolder)/\(collection)/corpus.jsonl", analyzer: .luceneEnglish)
    print(
      "lucene-english \(collection): \(counts.tokens) tokens (reference \(tokens)), \(counts.terms) terms (reference \(terms))"
    )
    // The issue asks for 0.2 %; the chain reproduces Lucene's exactly (Lucene 8.7's
    // EnglishAnalyzer gave the same counts on this machine), so any difference is a regression.
    #expect(counts.tokens == tokens)
    #expect(counts.terms == terms)
  }
}
