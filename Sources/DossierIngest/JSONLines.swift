import Foundation

/// A JSON Lines record that could not be used, with its 1-based line number.
public struct LineProblem: Sendable, Hashable, Codable, CustomStringConvertible {
  public var line: Int
  public var reason: String
  public var description: String { "line \(line): \(reason)" }
}

/// Reads pre-extracted documents from JSON Lines: one object a line.
///
/// Each line is `{"id", "text"}` (`"_id"` is accepted for `"id"`, as BEIR collections spell it) plus optional `title`, `url`, `date`, `author`, `lang` and
/// `metadata` (an object of strings). A line that is not a JSON object, or lacks a string `id`
/// or `text`, is reported with its line number and skipped; the other lines are kept. Blank
/// lines are ignored. `text` is split into blocks at blank lines.
///
/// ```swift
/// let (docs, problems) = JSONLinesReader.read(bytes, path: "briefs.jsonl")
/// ```
///
/// Cost: O(n); one Foundation JSON parse per line.
package enum JSONLinesReader {
  package static func read(_ bytes: [UInt8], path: String?) -> (
    documents: [Document], problems: [LineProblem]
  ) {
    var documents: [Document] = []
    var problems: [LineProblem] = []
    var start = 0
    var lineNumber = 0
    var seen: [String: Int] = [:]
    let n = bytes.count
    // A UTF-8 BOM at the start is allowed and ignored.
    if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
    while start < n {
      var end = start
      while end < n && bytes[end] != 0x0A { end += 1 }
      lineNumber += 1
      let line = bytes[start..<end]
      start = end + 1
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
      do {
        var doc = try parse(line, path: path)
        if let earlier = seen[doc.id] {
          doc.warnings.append("id \"\(doc.id)\" already used on line \(earlier); this line replaces it")
        }
        seen[doc.id] = lineNumber
        documents.append(doc)
      } catch {
        problems.append(LineProblem(line: lineNumber, reason: error.message))
      }
    }
    return (documents, problems)
  }

  struct LineError: Error {
    var message: String
  }

  static func parse(_ line: ArraySlice<UInt8>, path: String?) throws(LineError) -> Document {
    var warnings: [String] = []
    let (_, invalid) = TextDecoder.utf8SequenceCounts(Array(line))
    var data = Data(line)
    if invalid > 0 {
      warnings.append("\(invalid) invalid UTF-8 sequence(s) replaced by U+FFFD")
      data = Data(String(decoding: line, as: UTF8.self).utf8)
    }
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data, options: [])
    } catch {
      throw LineError(message: "not valid JSON")
    }
    guard let dict = object as? [String: Any] else { throw LineError(message: "not a JSON object") }
    let id: String
    // `_id` is the BEIR collections' spelling (../shared/eval).
    switch dict["id"] ?? dict["_id"] {
    case let s as String where !s.isEmpty: id = s
    case let n as NSNumber: id = n.stringValue
    case nil: throw LineError(message: "missing \"id\"")
    default: throw LineError(message: "\"id\" must be a non-empty string")
    }
    guard let textValue = dict["text"] else { throw LineError(message: "missing \"text\"") }
    guard let text = textValue as? String else { throw LineError(message: "\"text\" must be a string") }
    var metadata: [String: String] = [:]
    for key in ["url", "date", "author", "lang"] {
      guard let value = dict[key], !(value is NSNull) else { continue }
      if let s = value as? String {
        if !s.isEmpty { metadata[key] = s }
      } else {
        warnings.append("\"\(key)\" is not a string; ignored")
      }
    }
    if let extra = dict["metadata"], !(extra is NSNull) {
      if let object = extra as? [String: Any] {
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
          if let s = value as? String {
            if metadata[key] == nil { metadata[key] = s }
          } else {
            warnings.append("metadata \"\(key)\" is not a string; ignored")
          }
        }
      } else {
        warnings.append("\"metadata\" is not an object; ignored")
      }
    }
    let blocks = splitBlocks(text)
    var title = (dict["title"] as? String).map(Whitespace.normalize) ?? ""
    if title.isEmpty { title = id }
    return Document(
      id: id, type: .jsonl, path: path, encoding: "utf-8", title: title, metadata: metadata,
      headings: [], blocks: blocks, warnings: warnings)
  }

  /// Splits text at blank lines into whitespace-normalized blocks.
  package static func splitBlocks(_ text: String) -> [String] {
    var blocks: [String] = []
    var current: [Substring] = []
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      if line.allSatisfy({ $0.isWhitespace }) {
        if !current.isEmpty {
          let block = Whitespace.normalize(current.joined(separator: " "))
          if !block.isEmpty { blocks.append(block) }
          current.removeAll()
        }
      } else {
        current.append(line)
      }
    }
    let block = Whitespace.normalize(current.joined(separator: " "))
    if !block.isEmpty { blocks.append(block) }
    return blocks
  }
}
