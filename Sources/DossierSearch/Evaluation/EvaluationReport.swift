import Foundation

/// The effectiveness of a run against judgments, per query and as means, with the semantics of
/// `trec_eval -c` (and so of ../shared/eval/evaluate.py, which runs trec_eval's code through
/// ir-measures):
///
/// - Each query's hits are re-sorted by score, highest first, scores compared in single
///   precision (trec_eval stores them as C `float`); ties go to the document id that is larger
///   byte by byte (trec_eval's `strcmp(b, a)`). The rank column of a run is never used.
/// - A grade of 1 or more is relevant. nDCG@10 uses the grade as the gain (a grade of 0 or less
///   gains nothing) with a log2(rank + 1) discount, normalized by the ideal ordering of all the
///   query's judgments.
/// - Means are over every query in the judgments: a judged query missing from the run counts 0,
///   and so does a judged query with no relevant document. Queries the run has but the judgments
///   do not are ignored.
/// - One difference, unreachable with ASCII ids: ids are Swift strings, so two ids that are
///   canonically equivalent Unicode (`é` precomposed or not) are one id here, two to trec_eval.
///
/// ```swift
/// let report = EvaluationReport(
///   run: try TrecRun(contentsOfFile: "run.txt"), qrels: try Qrels(contentsOfFile: "qrels.tsv"))
/// print(report)   // nDCG@10  0.6789 ...
/// ```
/// Cost: O(h log h) for h hits, plus O(judgments).
public struct EvaluationReport: Sendable, Hashable, CustomStringConvertible {
  /// The measures for one query, or their means.
  public struct Scores: Sendable, Hashable {
    /// nDCG@10 (trec_eval `ndcg_cut_10`).
    public var ndcg10: Double
    /// Average precision over the whole ranking (trec_eval `map`).
    public var averagePrecision: Double
    /// Relevant documents in the first 10, divided by 10 (trec_eval `P_10`).
    public var precision10: Double
    /// Relevant documents in the first 100, divided by all relevant ones (`recall_100`).
    public var recall100: Double
    /// Relevant documents in the first 1,000, divided by all relevant ones (`recall_1000`).
    public var recall1000: Double

    public init(
      ndcg10: Double = 0, averagePrecision: Double = 0, precision10: Double = 0, recall100: Double = 0,
      recall1000: Double = 0
    ) {
      self.ndcg10 = ndcg10
      self.averagePrecision = averagePrecision
      self.precision10 = precision10
      self.recall100 = recall100
      self.recall1000 = recall1000
    }

    /// The measures as (name, value) pairs, named as ir-measures and evaluate.py name them.
    public var named: [(name: String, value: Double)] {
      [
        ("nDCG@10", ndcg10), ("AP", averagePrecision), ("R@100", recall100), ("R@1000", recall1000),
        ("P@10", precision10),
      ]
    }
  }

  /// The measures of every judged query, by query id.
  public let perQuery: [String: Scores]
  /// The means over all judged queries.
  public let mean: Scores
  /// How many queries the judgments have.
  public let judgedQueries: Int
  /// How many queries the run has (judged or not).
  public let queriesInRun: Int

  public init(run: TrecRun, qrels: Qrels) {
    var perQuery: [String: Scores] = [:]
    var sum = Scores()
    for (query, judgments) in qrels.judgments {
      let scores = EvaluationReport.score(hits: run.hits[query] ?? [], judgments: judgments)
      perQuery[query] = scores
      sum.ndcg10 += scores.ndcg10
      sum.averagePrecision += scores.averagePrecision
      sum.precision10 += scores.precision10
      sum.recall100 += scores.recall100
      sum.recall1000 += scores.recall1000
    }
    let n = Double(max(qrels.judgments.count, 1))
    self.perQuery = perQuery
    self.mean = Scores(
      ndcg10: sum.ndcg10 / n, averagePrecision: sum.averagePrecision / n, precision10: sum.precision10 / n,
      recall100: sum.recall100 / n, recall1000: sum.recall1000 / n)
    self.judgedQueries = qrels.judgments.count
    self.queriesInRun = run.hits.count
  }

  /// The lines evaluate.py prints: the query counts, then one measure a line to four decimals.
  public var description: String {
    var lines = ["judged queries \(judgedQueries), queries in run \(queriesInRun)"]
    for (name, value) in mean.named {
      lines.append(
        name.padding(toLength: 8, withPad: " ", startingAt: 0) + " " + String(format: "%.4f", value))
    }
    return lines.joined(separator: "\n")
  }

  /// The hits in trec_eval's order: score (as Float) descending, then document id descending
  /// by bytes.
  static func ranked(_ hits: [TrecRun.Hit]) -> [TrecRun.Hit] {
    hits.map { (Float($0.score), $0) }
      .sorted { a, b in
        if a.0 != b.0 { return a.0 > b.0 }
        return b.1.document.utf8.lexicographicallyPrecedes(a.1.document.utf8)
      }
      .map(\.1)
  }

  /// The measures of one query. O(h log h + judgments).
  static func score(hits: [TrecRun.Hit], judgments: [String: Int]) -> Scores {
    let relevantCount = judgments.values.count { $0 >= 1 }
    var relevantSoFar = 0
    var precisionSum = 0.0
    var dcg = 0.0
    var scores = Scores()
    for (i, hit) in ranked(hits).enumerated() {
      guard let grade = judgments[hit.document], grade >= 1 else { continue }
      relevantSoFar += 1
      precisionSum += Double(relevantSoFar) / Double(i + 1)
      if i < 10 {
        scores.precision10 += 1
        dcg += Double(grade) / log2(Double(i + 2))
      }
      if i < 100 { scores.recall100 += 1 }
      if i < 1000 { scores.recall1000 += 1 }
    }
    let ideal = judgments.values.filter { $0 > 0 }.sorted(by: >).prefix(10)
    var idealDCG = 0.0
    for (i, grade) in ideal.enumerated() { idealDCG += Double(grade) / log2(Double(i + 2)) }
    scores.ndcg10 = idealDCG > 0 ? dcg / idealDCG : 0
    scores.precision10 /= 10
    if relevantCount > 0 {
      scores.averagePrecision = precisionSum / Double(relevantCount)
      scores.recall100 /= Double(relevantCount)
      scores.recall1000 /= Double(relevantCount)
    } else {
      scores.recall100 = 0
      scores.recall1000 = 0
    }
    return scores
  }
}
