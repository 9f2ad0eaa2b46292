/// A ranked run: for each query, the documents a system returned with their scores, as in a
/// TREC run file.
///
/// ```swift
/// let run = try TrecRun(contentsOfFile: "/tmp/scifact.run")
/// let tiny = TrecRun(["q1": [.init(document: "d1", score: 3.5), .init(document: "d2", score: 1)]])
/// ```
public struct TrecRun: Sendable, Hashable {
  /// One returned document.
  public struct Hit: Sendable, Hashable {
    public var document: String
    /// The score. Evaluation ranks by score (as single precision, like trec_eval), never by
    /// the rank column.
    public var score: Double

    public init(document: String, score: Double) {
      self.document = document
      self.score = score
    }
  }

  /// Hits by query id, in the order given.
  public var hits: [String: [Hit]]

  public init(_ hits: [String: [Hit]]) {
    self.hits = hits
  }

  /// Reads a TREC run: one hit a line, `qid Q0 docid rank score tag`, fields separated by tabs
  /// or spaces (the tag may be missing). Plain text only: a gzip-compressed run is refused with
  /// advice to decompress it first (`gunzip -k run.gz`). Throws on a malformed line, a score
  /// that is not a finite number, or a document listed twice for one query (as trec_eval does).
  /// Cost: O(file size).
  public init(contentsOfFile path: String) throws(EvaluationError) {
    let bytes = try readEvaluationFile(path)
    do {
      try self.init(bytes: bytes)
    } catch {
      throw error.at(path: path)
    }
  }

  /// Reads a run from text, as `init(contentsOfFile:)` does.
  public init(parsing text: String) throws(EvaluationError) {
    try self.init(bytes: Array(text.utf8))
  }

  init(bytes: [UInt8]) throws(EvaluationError) {
    var hits: [String: [Hit]] = [:]
    var seen: [String: Set<String>] = [:]
    try forEachLineFields(bytes) { (line, fields) throws(EvaluationError) in
      guard fields.count == 6 || fields.count == 5 else {
        throw EvaluationError(
          message: "expected 'qid Q0 docid rank score tag', found \(fields.count) fields", line: line)
      }
      let query = try fieldText(bytes, fields[0], line: line)
      let document = try fieldText(bytes, fields[2], line: line)
      let scoreText = try fieldText(bytes, fields[4], line: line)
      guard let score = Double(scoreText), score.isFinite else {
        throw EvaluationError(message: "score '\(scoreText)' is not a finite number", line: line)
      }
      guard seen[query, default: []].insert(document).inserted else {
        throw EvaluationError(message: "document \(document) is listed twice for query \(query)", line: line)
      }
      hits[query, default: []].append(Hit(document: document, score: score))
    }
    self.hits = hits
  }
}
