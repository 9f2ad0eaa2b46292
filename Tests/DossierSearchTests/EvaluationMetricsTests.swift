import DossierTestSupport
import Foundation
import Testing

@testable import DossierSearch

// Metrics on tiny examples computed by hand (and checked against pytrec_eval, trec_eval's code).

private func run(_ hits: [String: [(String, Double)]]) -> TrecRun {
  TrecRun(hits.mapValues { $0.map { TrecRun.Hit(document: $0.0, score: $0.1) } })
}

private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

@Test func gradedQueryMeasures() {
  // Ranked E (-1), C (1), A (3), X (unjudged); relevant A, B, C.
  let qrels = Qrels(["q": ["A": 3, "B": 2, "C": 1, "D": 0, "E": -1]])
  let report = EvaluationReport(run: run(["q": [("E", 5), ("C", 4), ("A", 3), ("X", 2)]]), qrels: qrels)
  let q = report.perQuery["q"]!
  let dcg = 1 / log2(3.0) + 3 / log2(4.0)
  let ideal = 3 + 2 / log2(3.0) + 1 / log2(4.0)
  #expect(close(q.ndcg10, dcg / ideal))  // 0.447499501061509 from pytrec_eval
  #expect(close(q.averagePrecision, (1.0 / 2 + 2.0 / 3) / 3))
  #expect(close(q.precision10, 0.2))
  #expect(close(q.recall100, 2.0 / 3))
  #expect(close(q.recall1000, 2.0 / 3))
  #expect(report.mean == q)
}

@Test func tiesGoToTheLargerDocumentIdByBytes() {
  // Score ties: trec_eval sorts by score, then strcmp(b, a): "d9" before "d10", "a" before "Z".
  let qrels = Qrels(["t": ["d9": 1, "d10": 0, "a": 1, "Z": 0]])
  let hits = run(["t": [("d10", 1), ("d9", 1), ("Z", 0.5), ("a", 0.5)]])
  #expect(EvaluationReport.ranked(hits.hits["t"]!).map(\.document) == ["d9", "d10", "a", "Z"])
  let t = EvaluationReport(run: hits, qrels: qrels).perQuery["t"]!
  #expect(close(t.averagePrecision, (1 + 2.0 / 3) / 2))
  #expect(close(t.ndcg10, 1.5 / (1 + 1 / log2(3.0))))  // 0.9197207891481876 from pytrec_eval
}

@Test func scoresAreComparedInSinglePrecision() {
  // 1.0000000001 and 1.0 are the same Float, so the tie rule puts d3 first; 1.0001 is not.
  let qrels = Qrels(["b": ["d1": 1, "d3": 2]])
  let tied = EvaluationReport(run: run(["b": [("d1", 1.000_000_000_1), ("d3", 1)]]), qrels: qrels)
  #expect(close(tied.perQuery["b"]!.ndcg10, 1))
  let apart = EvaluationReport(run: run(["b": [("d1", 1.0001), ("d3", 1)]]), qrels: qrels)
  #expect(close(apart.perQuery["b"]!.ndcg10, (1 + 2 / log2(3.0)) / (2 + 1 / log2(3.0))))
}

@Test func meansCountMissingAndUnanswerableQueriesAsZero() {
  // trec_eval -c: "a" has no relevant document, "c" is missing from the run; both count 0 and
  // the mean is over all three judged queries. "z" is in the run but not judged: ignored.
  let qrels = Qrels(["a": ["d1": 0, "d2": -1], "b": ["d1": 1, "d3": 2], "c": ["d9": 1]])
  let report = EvaluationReport(
    run: run(["a": [("d1", 1), ("d2", 0.5)], "b": [("d1", 1), ("d2", 1), ("d3", 1)], "z": [("d9", 1)]]),
    qrels: qrels)
  #expect(report.judgedQueries == 3)
  #expect(report.queriesInRun == 3)
  #expect(report.perQuery.keys.sorted() == ["a", "b", "c"])
  #expect(report.perQuery["a"] == EvaluationReport.Scores())
  #expect(report.perQuery["c"] == EvaluationReport.Scores())
  let b = report.perQuery["b"]!
  #expect(close(b.averagePrecision, (1 + 2.0 / 3) / 2))  // ranked d3, d2, d1
  #expect(close(report.mean.averagePrecision, b.averagePrecision / 3))  // 0.2777… (ir-measures)
  #expect(close(report.mean.ndcg10, b.ndcg10 / 3))  // 0.31674480559661183 (ir-measures)
  #expect(close(report.mean.recall100, 1.0 / 3))
}

@Test func cutoffsAndShortRankings() {
  // 1,200 hits, relevant at ranks 1, 100, 101 and 1,001: P@10 divides by 10 whatever the length.
  var hits: [(String, Double)] = []
  for rank in 1...1_200 { hits.append(("d\(rank)", Double(2_000 - rank))) }
  let qrels = Qrels(["q": ["d1": 1, "d100": 1, "d101": 1, "d1001": 1, "never": 1]])
  let q = EvaluationReport(run: run(["q": hits]), qrels: qrels).perQuery["q"]!
  #expect(close(q.precision10, 0.1))
  #expect(close(q.recall100, 2.0 / 5))
  #expect(close(q.recall1000, 3.0 / 5))
  #expect(close(q.averagePrecision, (1 + 2.0 / 100 + 3.0 / 101 + 4.0 / 1_001) / 5))
  let short = EvaluationReport(run: run(["q": [("d1", 1)]]), qrels: qrels).perQuery["q"]!
  #expect(close(short.precision10, 0.1))
  var ideal = 0.0
  for rank in 1...5 { ideal += 1 / log2(Double(rank + 1)) }
  #expect(close(short.ndcg10, 1 / ideal))
}

@Test func emptyInputs() {
  let report = EvaluationReport(run: TrecRun([:]), qrels: Qrels([:]))
  #expect(report.mean == EvaluationReport.Scores())
  #expect(report.judgedQueries == 0)
  #expect(report.description.hasPrefix("judged queries 0, queries in run 0\nnDCG@10  0.0000"))
}
