/// Why judgments or a run could not be read.
///
/// ```swift
/// do { _ = try TrecRun(contentsOfFile: "run.txt.gz") } catch { print(error) }
/// // run.txt.gz: is gzip-compressed; decompress it first (gunzip -k run.txt.gz)
/// ```
public struct EvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, in words.
  public let message: String
  /// The file, when reading one.
  public let path: String?
  /// The line (counting from 1), when one line is at fault.
  public let line: Int?

  public init(message: String, path: String? = nil, line: Int? = nil) {
    self.message = message
    self.path = path
    self.line = line
  }

  /// "path:line: message", leaving out what is unknown.
  public var description: String {
    var where_ = path ?? ""
    if let line { where_ += (where_.isEmpty ? "line " : ":") + String(line) }
    return where_.isEmpty ? message : where_ + ": " + message
  }

  func at(path: String) -> EvaluationError {
    EvaluationError(message: message, path: path, line: line)
  }
}

/// Reads a whole file as bytes, refusing compressed files with advice.
func readEvaluationFile(_ path: String) throws(EvaluationError) -> [UInt8] {
  guard let bytes = readFileBytes(path) else {
    throw EvaluationError(message: "cannot read the file", path: path)
  }
  if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
    throw EvaluationError(
      message: "is gzip-compressed; decompress it first (gunzip -k \(path))", path: path)
  }
  return bytes
}

/// Calls `body` with the line number (from 1) and the whitespace-separated fields of every
/// line that has any. Fields are byte ranges of `bytes`. O(bytes).
func forEachLineFields(
  _ bytes: [UInt8], _ body: (Int, [Range<Int>]) throws(EvaluationError) -> Void
) throws(EvaluationError) {
  var fields: [Range<Int>] = []
  var line = 1
  var i = 0
  let n = bytes.count
  while i < n {
    fields.removeAll(keepingCapacity: true)
    while i < n && bytes[i] != 0x0A {
      let b = bytes[i]
      if b == 0x20 || b == 0x09 || b == 0x0D {
        i += 1
        continue
      }
      let start = i
      while i < n, bytes[i] != 0x20, bytes[i] != 0x09, bytes[i] != 0x0D, bytes[i] != 0x0A { i += 1 }
      fields.append(start..<i)
    }
    if !fields.isEmpty { try body(line, fields) }
    line += 1
    i += 1
  }
}

/// The text of a field, which must be valid UTF-8.
func fieldText(_ bytes: [UInt8], _ range: Range<Int>, line: Int) throws(EvaluationError) -> String {
  guard let text = String(validating: bytes[range], as: UTF8.self) else {
    throw EvaluationError(message: "invalid UTF-8", line: line)
  }
  return text
}
