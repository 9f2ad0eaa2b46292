/// Extracts a `Document` from plain text or Markdown.
///
/// Blocks are split at blank lines and their whitespace normalized. The title is the first
/// non-empty line when it is short (a Markdown `#` heading counts), else the file name. A run of
/// `Key: value` lines right after the title (author, date, lang, language, url, source,
/// keywords, description) and a Markdown front matter block (`---` lines) become metadata.
/// In Markdown, `#` headings become headings, list items become blocks of their own, and
/// emphasis, code and link markup is reduced to its text.
///
/// ```swift
/// let doc = TextExtractor.extract(decoded, id: "brief.md", path: nil, markdown: true)
/// ```
///
/// Cost: O(n) over the text, a few allocations per line.
package enum TextExtractor {
  /// Longest first line, in characters, that is taken as a title.
  package static let maxTitleLength = 150

  static let headerKeys: [String: String] = [
    "author": "author", "authors": "author", "by": "author", "date": "date", "published": "date",
    "lang": "lang", "language": "lang", "url": "url", "source": "url", "keywords": "keywords",
    "tags": "keywords", "description": "description", "summary": "description", "title": "title",
  ]

  package static func extract(
    _ decoded: DecodedText, id: String, path: String?, markdown: Bool
  ) -> Document {
    // "\r\n" is one Character in Swift, so lines split on any newline character.
    var lines = decoded.text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    var metadata: [String: String] = [:]
    var title: String?

    // Markdown front matter: "---" ... "---" at the very top.
    if markdown, let first = lines.first, first.trimmingCharacters() == "---",
      let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters() == "---" })
    {
      for line in lines[1..<end] { parseHeader(line, into: &metadata) }
      lines.removeSubrange(0...end)
      if let t = metadata.removeValue(forKey: "title") { title = t }
    }

    var headings: [Heading] = []
    var blocks: [String] = []
    var paragraph: [Substring] = []
    var sawContent = false
    var inHeaderRun = false
    var inFence = false

    func flush() {
      if !paragraph.isEmpty {
        let text = Whitespace.normalize(paragraph.joined(separator: " "))
        if !text.isEmpty { blocks.append(markdown && !inFence ? stripInlineMarkdown(text) : text) }
        paragraph.removeAll()
      }
    }

    for rawLine in lines {
      let line = rawLine
      let trimmed = Substring(line.trimmingCharacters())
      if markdown && (trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~")) {
        flush()
        inFence.toggle()
        continue
      }
      if inFence {
        // Preformatted: keep lines together as one block, normalized like <pre> text.
        paragraph.append(line)
        continue
      }
      if trimmed.isEmpty {
        flush()
        continue
      }
      // Title: the first non-empty line, when short.
      if !sawContent {
        sawContent = true
        let candidate: String
        var level = 0
        if markdown, let (lvl, text) = atxHeading(trimmed) {
          candidate = text
          level = lvl
        } else {
          candidate = Whitespace.normalize(String(trimmed))
        }
        if title == nil && candidate.count <= maxTitleLength && !candidate.isEmpty {
          title = markdown ? stripInlineMarkdown(candidate) : candidate
          inHeaderRun = true
          continue
        }
        if level > 0 {
          headings.append(Heading(level: level, text: stripInlineMarkdown(candidate)))
          continue
        }
      }
      if inHeaderRun && paragraph.isEmpty && parseHeader(line, into: &metadata) { continue }
      inHeaderRun = false
      if markdown {
        if let (level, text) = atxHeading(trimmed) {
          flush()
          headings.append(Heading(level: level, text: stripInlineMarkdown(text)))
          continue
        }
        if isTableSeparator(trimmed) || isHorizontalRule(trimmed) {
          flush()
          continue
        }
        if let item = listItem(trimmed) {
          flush()
          paragraph.append(item)
          continue
        }
        if trimmed.hasPrefix("|") {
          flush()
          paragraph.append(Substring(tableRow(trimmed)))
          flush()
          continue
        }
        if trimmed.hasPrefix(">") {
          paragraph.append(Substring(trimmed.dropFirst()))
          continue
        }
      }
      paragraph.append(line)
    }
    flush()

    if let raw = metadata["date"], let normalized = DateNormalizer.normalize(raw) {
      metadata["date"] = normalized
    }
    let fileName = path.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? id
    return Document(
      id: id, type: markdown ? .markdown : .text, path: path, encoding: decoded.encoding,
      title: title ?? fileName, metadata: metadata, headings: headings, blocks: blocks,
      warnings: decoded.warnings)
  }

  /// `Key: value` with a known key; returns false (and records nothing) otherwise.
  @discardableResult
  static func parseHeader(_ line: Substring, into metadata: inout [String: String]) -> Bool {
    guard let colon = line.firstIndex(of: ":") else { return false }
    let key = line[..<colon].trimmingCharacters().lowercased()
    guard let canonical = headerKeys[key] else { return false }
    var value = line[line.index(after: colon)...].trimmingCharacters()
    if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
      value = String(value.dropFirst().dropLast())
    }
    guard !value.isEmpty else { return false }
    metadata[canonical] = value
    return true
  }

  static func atxHeading(_ line: Substring) -> (Int, String)? {
    var level = 0
    var i = line.startIndex
    while i < line.endIndex, line[i] == "#", level < 7 {
      level += 1
      i = line.index(after: i)
    }
    guard level >= 1, level <= 6, i == line.endIndex || line[i] == " " || line[i] == "\t" else { return nil }
    var text = line[i...].trimmingCharacters()
    while text.hasSuffix("#") { text.removeLast() }
    return (level, Whitespace.normalize(text))
  }

  static func listItem(_ line: Substring) -> Substring? {
    if let f = line.first, f == "-" || f == "*" || f == "+", line.dropFirst().first == " " {
      return line.dropFirst(2)
    }
    let digits = line.prefix(while: { $0.isASCII && $0.isNumber })
    if !digits.isEmpty, digits.count <= 9 {
      let rest = line[digits.endIndex...]
      if let d = rest.first, d == "." || d == ")", rest.dropFirst().first == " " {
        return rest.dropFirst(2)
      }
    }
    return nil
  }

  static func isTableSeparator(_ line: Substring) -> Bool {
    line.hasPrefix("|") && line.allSatisfy { $0 == "|" || $0 == "-" || $0 == ":" || $0 == " " }
  }

  static func isHorizontalRule(_ line: Substring) -> Bool {
    let chars = line.filter { $0 != " " }
    return chars.count >= 3
      && (chars.allSatisfy { $0 == "-" } || chars.allSatisfy { $0 == "*" } || chars.allSatisfy { $0 == "_" })
  }

  static func tableRow(_ line: Substring) -> String {
    line.split(separator: "|").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }.joined(separator: " | ")
  }

  /// Reduces `**bold**`, `_em_`, `` `code` ``, `[text](url)` and `![alt](src)` to their text.
  static func stripInlineMarkdown(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    var chars = Substring(text)
    while let c = chars.first {
      if c == "!" && chars.dropFirst().first == "[" {
        chars = chars.dropFirst()
        continue
      }
      if c == "[", let close = chars.firstIndex(of: "]"),
        chars[chars.index(after: close)...].first == "(",
        let paren = chars[close...].firstIndex(of: ")")
      {
        out += chars[chars.index(after: chars.startIndex)..<close]
        chars = chars[chars.index(after: paren)...]
        continue
      }
      if c == "*" || c == "`" || (c == "_" && (out.last.map { !$0.isLetter && !$0.isNumber } ?? true)) {
        chars = chars.dropFirst()
        continue
      }
      if c == "_", let next = chars.dropFirst().first, !next.isLetter && !next.isNumber {
        chars = chars.dropFirst()
        continue
      }
      out.append(c)
      chars = chars.dropFirst()
    }
    return Whitespace.normalize(out)
  }
}

extension StringProtocol {
  /// Trimmed of whitespace and newlines at both ends.
  package func trimmingCharacters() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s = s.dropFirst() }
    while let l = s.last, l.isWhitespace { s = s.dropLast() }
    return String(s)
  }
}
