/// Relevance judgments ("qrels"): for each query, the grade of each judged document. A grade of
/// 1 or more is relevant; 0 or less is not (trec_eval's default relevance level). nDCG uses the
/// grades as gains.
///
/// ```swift
/// let qrels = try Qrels(contentsOfFile: "../shared/eval/scifact/qrels.tsv")
/// let tiny = Qrels(["q1": ["d1": 2, "d7": 0]])
/// ```
public struct Qrels: Sendable, Hashable {
  /// Grade by document id, by query id.
  public var judgments: [String: [String: Int]]

  public init(_ judgments: [String: [String: Int]]) {
    self.judgments = judgments
  }

  /// Reads judgments in either of two layouts, one judgment a line, fields separated by tabs or
  /// spaces: the BEIR TSV of ../shared/eval (`query-id corpus-id score`, with that header line),
  /// or TREC qrels (`qid 0 docid rel`; the second field is ignored). Throws on any other line,
  /// on a grade that is not an integer, on a document judged twice for one query (as trec_eval
  /// does) and on gzip-compressed files. Cost: O(file size).
  public init(contentsOfFile path: String) throws(EvaluationError) {
    let bytes = try readEvaluationFile(path)
    do {
      try self.init(bytes: bytes)
    } catch {
      throw error.at(path: path)
    }
  }

  /// Reads judgments from text, as `init(contentsOfFile:)` does.
  public init(parsing text: String) throws(EvaluationError) {
    try self.init(bytes: Array(text.utf8))
  }

  init(bytes: [UInt8]) throws(EvaluationError) {
    var judgments: [String: [String: Int]] = [:]
    var first = true
    try forEachLineFields(bytes) { (line, fields) throws(EvaluationError) in
      defer { first = false }
      let text = { (i: Int) throws(EvaluationError) -> String in try fieldText(bytes, fields[i], line: line) }
      if first && fields.count == 3, try text(0) == "query-id", try text(1) == "corpus-id",
        try text(2) == "score"
      {
        return
      }
      let query: String
      let document: String
      let gradeText: String
      switch fields.count {
      case 3: (query, document, gradeText) = (try text(0), try text(1), try text(2))
      case 4: (query, document, gradeText) = (try text(0), try text(2), try text(3))
      default:
        throw EvaluationError(
          message: "expected 'query-id corpus-id score' or 'qid 0 docid rel', found \(fields.count) fields",
          line: line)
      }
      guard let grade = Int(gradeText) else {
        throw EvaluationError(message: "relevance grade '\(gradeText)' is not an integer", line: line)
      }
      if judgments[query, default: [:]].updateValue(grade, forKey: document) != nil {
        throw EvaluationError(message: "document \(document) is judged twice for query \(query)", line: line)
      }
    }
    self.judgments = judgments
  }
}
