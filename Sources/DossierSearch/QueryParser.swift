/// Turns query strings into `Query` trees.
///
/// Lenient mode (the default) accepts any string whatsoever and never throws: stray quotes,
/// unbalanced parentheses, lone operators and unknown `field:` prefixes are read as text or
/// dropped. Strict mode throws a `QuerySyntaxError` naming the first problem and its position.
///
/// ```swift
/// let people = QueryParser()                                   // lenient, ranked OR
/// let q = try people.parse(#"facial recognition "safe city"~2 -pilot"#)
///
/// let scripts = QueryParser(mode: .strict, defaultOperator: .and)
/// do { _ = try scripts.parse(#"title:"open"#) } catch { print(error) }  // unclosed quote at 6
/// ```
/// Cost: O(length of the query) time and memory; recursion is bounded by `Options.maxDepth`.
/// A parser is a small immutable value: share it freely between threads.
public struct QueryParser: Sendable, Hashable {
  /// How a parser treats invalid syntax.
  public enum Mode: String, Sendable, Hashable, Codable {
    /// Never throw: invalid syntax is read as text or dropped.
    case lenient
    /// Throw a `QuerySyntaxError` for the first problem.
    case strict
  }

  /// Everything that decides how a string is parsed.
  public struct Options: Sendable, Hashable {
    public var mode: Mode
    /// How words written side by side combine (`a b`): a ranked OR by default.
    public var defaultOperator: QueryOperator
    /// The deepest nesting of parentheses and `NOT`s. Lenient mode flattens deeper groups into
    /// the enclosing one and drops deeper `NOT`s.
    public var maxDepth: Int
    /// The longest query, in UTF-8 bytes. Lenient mode ignores the rest of a longer query.
    public var maxLength: Int
    /// The most leaves (words, phrases, prefixes, date ranges). Lenient mode drops the rest.
    public var maxClauses: Int

    public init(
      mode: Mode = .lenient, defaultOperator: QueryOperator = .or, maxDepth: Int = 32,
      maxLength: Int = 8_192, maxClauses: Int = 1_024
    ) {
      self.mode = mode
      self.defaultOperator = defaultOperator
      self.maxDepth = max(1, maxDepth)
      self.maxLength = max(1, maxLength)
      self.maxClauses = max(1, maxClauses)
    }
  }

  public var options: Options

  public init(options: Options) {
    self.options = options
  }

  public init(mode: Mode = .lenient, defaultOperator: QueryOperator = .or) {
    self.options = Options(mode: mode, defaultOperator: defaultOperator)
  }

  /// Parses a query. In lenient mode this never throws; in strict mode it throws the problem
  /// nearest the start of the query. Empty or blank input gives `Query.empty` in both modes.
  /// Cost: O(length of the query).
  public func parse(_ text: String) throws(QuerySyntaxError) -> Query {
    let (query, problems) = parseWithDiagnostics(text)
    if options.mode == .strict, let first = problems.first { throw first }
    return query
  }

  /// Parses leniently whatever the mode, and also returns every problem found (at most 100),
  /// in order of position: what lenient mode read as text or dropped. A command-line tool can
  /// show them as warnings. Cost: O(length of the query).
  public func parseWithDiagnostics(_ text: String) -> (query: Query, problems: [QuerySyntaxError]) {
    var scalars = Array(text.unicodeScalars)
    var truncation: QueryIssue? = nil
    var bytes = 0
    for (index, scalar) in scalars.enumerated() {
      bytes += UTF8.width(scalar)
      if bytes > options.maxLength {
        truncation = QueryIssue(
          message: "query is longer than \(options.maxLength) bytes; the rest is ignored",
          scalarOffset: index)
        scalars.removeSubrange(index...)
        break
      }
    }
    var lexer = QueryLexer(scalars)
    lexer.run()
    var parser = TokenParser(tokens: lexer.tokens, options: options)
    let query = parser.parseQuery()
    var issues = lexer.issues + parser.issues
    if let truncation { issues.append(truncation) }
    issues.sort { $0.scalarOffset < $1.scalarOffset }
    return (query, QuerySyntaxError.locate(Array(issues.prefix(100)), in: text))
  }
}

extension Query {
  /// Parses a query leniently: never throws, whatever the string. Shorthand for
  /// `QueryParser(defaultOperator:).parse(_:)`. Cost: O(length of the text).
  ///
  /// ```swift
  /// Query(parsing: "privacy (surveillance")  // privacy OR surveillance
  /// ```
  public init(parsing text: String, defaultOperator: QueryOperator = .or) {
    self = QueryParser(defaultOperator: defaultOperator).parseWithDiagnostics(text).query
  }
}

/// A syntax error in a query, with where it is.
///
/// ```swift
/// do { _ = try QueryParser(mode: .strict).parse("a AND") } catch {
///   print(error.message, error.position)  // 'AND' needs a term after it 2
/// }
/// ```
public struct QuerySyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, in words, without the position.
  public let message: String
  /// Where: the offset in characters (extended grapheme clusters, as a person counts them)
  /// from the start of the query, starting at 0.
  public let position: Int
  /// Where: the offset in UTF-8 bytes from the start of the query.
  public let utf8Offset: Int

  public init(message: String, position: Int, utf8Offset: Int) {
    self.message = message
    self.position = position
    self.utf8Offset = utf8Offset
  }

  /// "message at position", e.g. "unclosed quote at 12".
  public var description: String { "\(message) at \(position)" }

  /// Converts scalar offsets (sorted) into character and byte offsets in one pass. O(length).
  static func locate(_ issues: [QueryIssue], in text: String) -> [QuerySyntaxError] {
    guard !issues.isEmpty else { return [] }
    var result: [QuerySyntaxError] = []
    var next = 0
    var scalarOffset = 0
    var byteOffset = 0
    var characterOffset = 0
    for character in text {
      let scalars = character.unicodeScalars
      let end = scalarOffset + scalars.count
      // Issues inside this character point at the character, and at the scalar's own byte.
      var bytes = byteOffset
      var s = scalarOffset
      for scalar in scalars {
        while next < issues.count && issues[next].scalarOffset == s {
          result.append(
            QuerySyntaxError(message: issues[next].message, position: characterOffset, utf8Offset: bytes))
          next += 1
        }
        bytes += UTF8.width(scalar)
        s += 1
      }
      scalarOffset = end
      byteOffset = bytes
      characterOffset += 1
    }
    while next < issues.count {
      result.append(
        QuerySyntaxError(message: issues[next].message, position: characterOffset, utf8Offset: byteOffset))
      next += 1
    }
    return result
  }
}

/// Recursive descent over tokens: OR of ANDs of unary terms. Recursion happens only at a group,
/// and groups nest at most `maxDepth` deep. O(tokens).
struct TokenParser {
  let tokens: [QueryToken]
  let options: QueryParser.Options
  private(set) var issues: [QueryIssue] = []
  private var index = 0
  private var depth = 0
  /// Opening parentheses beyond `maxDepth` that were ignored; their `)` are ignored too.
  private var ignoredOpen = 0
  private var clauses = 0
  private var reportedClauseLimit = false
  private var reportedDepth = false

  init(tokens: [QueryToken], options: QueryParser.Options) {
    self.tokens = tokens
    self.options = options
  }

  private var peek: QueryToken? { index < tokens.count ? tokens[index] : nil }

  private mutating func issue(_ message: String, at offset: Int) {
    if issues.count < 100 { issues.append(QueryIssue(message: message, scalarOffset: offset)) }
  }

  private mutating func depthExceeded(at offset: Int) {
    if !reportedDepth {
      issue("groups and NOTs nest deeper than \(options.maxDepth)", at: offset)
      reportedDepth = true
    }
  }

  mutating func parseQuery() -> Query {
    parseOr() ?? .empty
  }

  private mutating func parseOr() -> Query? {
    var parts: [Query] = []
    while let token = peek {
      switch token.kind {
      case .close:
        if ignoredOpen > 0 {
          ignoredOpen -= 1
          index += 1
          continue
        }
        if depth > 0 { return combine(parts, and: false) }
        issue("')' has no matching '('", at: token.start)
        index += 1
      case .or:
        index += 1
        if parts.isEmpty {
          issue("'OR' needs a term before it", at: token.start)
        } else if !(peek?.startsUnary ?? false) {
          issue("'OR' needs a term after it", at: token.start)
        }
      case .and:
        // An AND with a left operand is taken by parseAnd; this one has none.
        index += 1
        issue("'AND' needs a term before it", at: token.start)
      default:
        if let part = parseAnd() { parts.append(part) }
      }
    }
    return combine(parts, and: false)
  }

  private mutating func parseAnd() -> Query? {
    var parts: [Query] = []
    if let first = parseUnary() { parts.append(first) }
    while let token = peek {
      if token.kind == .and {
        index += 1
        guard peek?.startsUnary ?? false else {
          issue("'AND' needs a term after it", at: token.start)
          continue
        }
        if let part = parseUnary() { parts.append(part) }
      } else if options.defaultOperator == .and && token.startsUnary {
        if let part = parseUnary() { parts.append(part) }
      } else {
        break
      }
    }
    return combine(parts, and: true)
  }

  private mutating func parseUnary() -> Query? {
    var nots = 0
    var lastNot: Int? = nil
    var modifier: QueryToken.Kind? = nil
    while let token = peek, token.kind == .not {
      index += 1
      lastNot = token.start
      if depth + nots >= options.maxDepth {
        depthExceeded(at: token.start)
      } else {
        nots += 1
      }
    }
    if let token = peek, token.kind == .plus || token.kind == .minus {
      modifier = token.kind
      index += 1
    }
    guard let token = peek, token.startsPrimary else {
      if let lastNot { issue("'NOT' needs a term after it", at: lastNot) }
      return nil
    }
    depth += nots
    let primary = parsePrimary(token)
    depth -= nots
    guard var query = primary else { return nil }
    if modifier == .plus { query = .required(query) }
    if modifier == .minus { query = .not(query) }
    for _ in 0..<nots { query = .not(query) }
    return query
  }

  private mutating func parsePrimary(_ token: QueryToken) -> Query? {
    index += 1
    let leaf: Query
    switch token.kind {
    case .word(let text, let field, let isPrefix):
      leaf = isPrefix ? .prefix(text, field: field) : .term(text, field: field)
    case .phrase(let text, let field, let slop):
      leaf = .phrase(text, field: field, slop: slop)
    case .date(let from, let through):
      leaf = .date(from: from, through: through)
    case .open:
      return parseGroup(token)
    default:
      return nil
    }
    clauses += 1
    if clauses > options.maxClauses {
      if !reportedClauseLimit {
        issue("more than \(options.maxClauses) terms; the rest are ignored", at: token.start)
        reportedClauseLimit = true
      }
      return nil
    }
    return leaf
  }

  /// After `(`: the group up to its `)`, or, beyond the depth limit, whatever primary follows
  /// (the parenthesis is ignored and the group's content joins the enclosing one).
  private mutating func parseGroup(_ open: QueryToken) -> Query? {
    if depth >= options.maxDepth {
      depthExceeded(at: open.start)
      ignoredOpen += 1
      while let token = peek, token.kind == .open {
        ignoredOpen += 1
        index += 1
      }
      guard let token = peek, token.startsPrimary else { return nil }
      return parsePrimary(token)
    }
    depth += 1
    let inner = parseOr()
    depth -= 1
    if let token = peek, token.kind == .close {
      index += 1
    } else {
      issue("'(' is never closed", at: open.start)
    }
    if inner == nil { issue("empty group", at: open.start) }
    return inner
  }

  private func combine(_ parts: [Query], and: Bool) -> Query? {
    switch parts.count {
    case 0: return nil
    case 1: return parts[0]
    default: return and ? .and(parts) : .or(parts)
    }
  }
}
