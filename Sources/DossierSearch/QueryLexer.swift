/// A problem found in a query string, at an offset in Unicode scalars. The parser turns the
/// problems it keeps into `QuerySyntaxError`s with character and UTF-8 offsets.
struct QueryIssue: Error, Hashable {
  var message: String
  var scalarOffset: Int
}

/// One token of the query language.
struct QueryToken: Hashable {
  enum Kind: Hashable {
    /// A word, with the field written before it and whether it ends with `*`.
    case word(String, field: QueryField?, isPrefix: Bool)
    case phrase(String, field: QueryField?, slop: Int)
    case date(from: QueryDate?, through: QueryDate?)
    case open, close
    case and, or, not
    /// `+` or `-` written directly before a word, phrase, field or group.
    case plus, minus
  }
  var kind: Kind
  /// Offset of the token's first scalar in the query.
  var start: Int

  var startsPrimary: Bool {
    switch kind {
    case .word, .phrase, .date, .open: return true
    default: return false
    }
  }

  var startsUnary: Bool {
    switch kind {
    case .word, .phrase, .date, .open, .plus, .minus, .not: return true
    default: return false
    }
  }
}

/// Splits a query into tokens, never failing: whatever is not valid syntax is recorded as an
/// issue and either kept as text or dropped, as the query-language notes describe. Works on
/// Unicode scalars (never on `Character`, so a combining mark after a quote cannot hide the
/// quote). O(length of the query).
struct QueryLexer {
  let scalars: [Unicode.Scalar]
  private(set) var tokens: [QueryToken] = []
  private(set) var issues: [QueryIssue] = []
  private var i = 0

  init(_ scalars: [Unicode.Scalar]) {
    self.scalars = scalars
  }

  /// Whitespace for the query language: Unicode white space and every control character
  /// (a control character is never part of a word).
  static func isSpace(_ c: Unicode.Scalar) -> Bool {
    // ASCII: whitespace is 0x09-0x0D and 0x20, controls 0x00-0x1F and 0x7F.
    if c.value < 0x80 { return c.value <= 0x20 || c.value == 0x7F }
    return c.properties.isWhitespace || c.properties.generalCategory == .control
  }

  /// True if the text has nothing but whitespace and control characters: such a leaf is dropped.
  static func isBlank(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy(isSpace)
  }

  static let keywords: [String: QueryToken.Kind] = ["AND": .and, "OR": .or, "NOT": .not]

  private func isWordEnd(_ c: Unicode.Scalar) -> Bool {
    QueryLexer.isSpace(c) || c == "(" || c == ")" || c == "\""
  }

  private mutating func issue(_ message: String, at offset: Int) {
    // Enough to explain any query; a flood of garbage must not grow without bound.
    if issues.count < 100 { issues.append(QueryIssue(message: message, scalarOffset: offset)) }
  }

  mutating func run() {
    while i < scalars.count {
      let c = scalars[i]
      if QueryLexer.isSpace(c) {
        i += 1
      } else if c == "(" {
        tokens.append(QueryToken(kind: .open, start: i))
        i += 1
      } else if c == ")" {
        tokens.append(QueryToken(kind: .close, start: i))
        i += 1
      } else if c == "+" || c == "-" {
        lexModifier(c)
      } else {
        lexPrimary(allowKeyword: true)
      }
    }
  }

  /// `+x` or `-x`: a modifier only directly before a word, phrase, field or group; anything
  /// else (a lone dash, `--`, `+)`) is stray punctuation and dropped.
  private mutating func lexModifier(_ c: Unicode.Scalar) {
    let start = i
    let next = i + 1 < scalars.count ? scalars[i + 1] : nil
    guard let next, !QueryLexer.isSpace(next), next != ")", next != "+", next != "-" else {
      issue(
        "'\(c)' must be directly followed by a word, phrase or group (write \\\(c) to search for it)",
        at: start)
      i += 1
      return
    }
    tokens.append(QueryToken(kind: c == "+" ? .plus : .minus, start: start))
    i += 1
    let count = tokens.count
    if next == "(" {
      tokens.append(QueryToken(kind: .open, start: i))
      i += 1
    } else {
      lexPrimary(allowKeyword: false)
    }
    if tokens.count == count {
      // What followed was dropped, with its own issue (`-*`, `-"unclosed`, `+title:`): so is
      // the modifier.
      tokens.remove(at: count - 1)
    }
  }

  /// A phrase, a `field:` clause or a word, starting at `i`.
  private mutating func lexPrimary(allowKeyword: Bool) {
    if scalars[i] == "\"" {
      lexPhrase(field: nil, start: i)
    } else {
      lexWord(allowKeyword: allowKeyword)
    }
  }

  private mutating func lexPhrase(field: QueryField?, start: Int) {
    let quote = i
    var text = String.UnicodeScalarView()
    var j = quote + 1
    var closed = false
    while j < scalars.count {
      let c = scalars[j]
      if c == "\\" && j + 1 < scalars.count {
        text.append(scalars[j + 1])
        j += 2
        continue
      }
      if c == "\"" {
        closed = true
        break
      }
      text.append(c)
      j += 1
    }
    guard closed else {
      // Drop the quote alone and read what follows as ordinary words.
      issue("unclosed quote", at: quote)
      i = quote + 1
      return
    }
    i = j + 1
    var slop = 0
    if i < scalars.count && scalars[i] == "~" {
      let tilde = i
      i += 1
      var digits = 0
      var value = 0
      while i < scalars.count, let d = asciiDigit(scalars[i]) {
        if value <= Query.maxSlop { value = value * 10 + d }
        digits += 1
        i += 1
      }
      if digits == 0 {
        issue("'~' after a phrase must be followed by a number (the slop)", at: tilde)
      } else if value > Query.maxSlop {
        issue("slop is larger than \(Query.maxSlop)", at: tilde)
        slop = Query.maxSlop
      } else {
        slop = value
      }
    }
    let string = String(text)
    if QueryLexer.isBlank(string) {
      issue("empty phrase", at: start)
      return
    }
    tokens.append(QueryToken(kind: .phrase(string, field: field, slop: slop), start: start))
  }

  private mutating func lexWord(allowKeyword: Bool) {
    let start = i
    var text = String.UnicodeScalarView()
    var hadEscape = false
    var field: QueryField? = nil
    var sawColon = false
    /// Offsets (in the query) of unescaped `*` and `~` inside the word, and of its text start.
    var stars: [(textIndex: Int, offset: Int)] = []
    var firstTilde: Int? = nil
    var textCount = 0
    while i < scalars.count {
      let c = scalars[i]
      if isWordEnd(c) { break }
      if c == "\\" {
        hadEscape = true
        if i + 1 < scalars.count {
          text.append(scalars[i + 1])
          textCount += 1
          i += 2
        } else {
          issue("'\\' at the end of the query escapes nothing", at: i)
          i += 1
        }
        continue
      }
      if c == ":" && !sawColon && field == nil {
        sawColon = true
        if !hadEscape, textCount > 0, text.allSatisfy(isASCIILetter) {
          let name = String(text).lowercased()
          if name == "date" {
            lexDate(start: start)
            return
          }
          if let known = QueryField(rawValue: name) {
            i += 1
            guard i < scalars.count, !QueryLexer.isSpace(scalars[i]), scalars[i] != "(",
              scalars[i] != ")"
            else {
              issue("'\(String(text)):' must be directly followed by a word or a phrase", at: start)
              return
            }
            if scalars[i] == "\"" {
              lexPhrase(field: known, start: start)
              return
            }
            field = known
            text.removeAll()
            textCount = 0
            stars.removeAll()
            firstTilde = nil
            continue
          }
          issue(
            "unknown field '\(String(text))' (fields: \(QueryLexer.fieldList); write \\: to search for the text)",
            at: start)
        }
      }
      if c == "*" { stars.append((textCount, i)) }
      if c == "~" && firstTilde == nil { firstTilde = i }
      text.append(c)
      textCount += 1
      i += 1
    }
    // Trailing unescaped stars make a prefix query; a star elsewhere is kept as text.
    var isPrefix = false
    while let last = stars.last, last.textIndex == textCount - 1 {
      text.removeLast()
      textCount -= 1
      stars.removeLast()
      isPrefix = true
    }
    if let inner = stars.first {
      issue("'*' is allowed only at the end of a word (write \\* to search for it)", at: inner.offset)
    }
    if let tilde = firstTilde {
      issue("'~' (slop) may follow only a quoted phrase (write \\~ to search for it)", at: tilde)
    }
    let string = String(text)
    if QueryLexer.isBlank(string) {
      if isPrefix {
        issue("'*' must follow the start of a word", at: start)
      } else if textCount > 0 || field != nil {
        issue("empty word", at: start)
      }
      return
    }
    if allowKeyword && !hadEscape && field == nil && !isPrefix, let keyword = QueryLexer.keywords[string] {
      tokens.append(QueryToken(kind: keyword, start: start))
      return
    }
    tokens.append(QueryToken(kind: .word(string, field: field, isPrefix: isPrefix), start: start))
  }

  /// `date:` followed by a range, up to the end of the word; `i` is at the colon.
  private mutating func lexDate(start: Int) {
    i += 1
    var spec = String.UnicodeScalarView()
    while i < scalars.count, !isWordEnd(scalars[i]) {
      spec.append(scalars[i])
      i += 1
    }
    if spec.isEmpty {
      issue("'date:' must be directly followed by a date range such as 2019..2021", at: start)
      return
    }
    switch parseDateRange(Substring(String(spec))) {
    case .failure(let error):
      issue(error.message, at: start)
    case .success(let range):
      if range.reversed { issue("date range ends before it starts", at: start) }
      tokens.append(QueryToken(kind: .date(from: range.from, through: range.through), start: start))
    }
  }

  static let fieldList = (QueryField.allCases.map(\.rawValue) + ["date"]).joined(separator: ", ")
}

private func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
  (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
}

private func asciiDigit(_ c: Unicode.Scalar) -> Int? {
  c >= "0" && c <= "9" ? Int(c.value - 48) : nil
}
