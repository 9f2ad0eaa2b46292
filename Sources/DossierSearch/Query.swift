/// A search query as a tree: what the query parser makes of a string, and what the planner
/// evaluates.
///
/// Leaves hold the raw text the person typed (never analyzed: the planner runs the index's
/// analyzer over it, so that query and index can never disagree). Inner nodes combine leaves.
/// Build a query by parsing a string, or from parts, which is safe for any user string because
/// no text in a leaf is ever read as syntax:
///
/// ```swift
/// let parsed = Query(parsing: #"title:"facial recognition" Ecuador -pilot"#)
/// let built: Query = .or([
///   .phrase("facial recognition", field: .title), .term("Ecuador"), .not(.term("pilot")),
/// ])
/// assert(parsed == built)
/// print(built.syntax)  // title:"facial recognition" OR Ecuador OR -pilot
/// ```
///
/// Equality is structural: `(a OR b) OR c` and `a OR b OR c` mean the same but are different
/// values. Values are small; comparing or hashing costs O(nodes).
public indirect enum Query: Sendable, Hashable {
  /// One word, optionally in one field: `privacy`, `title:privacy`.
  case term(String, field: QueryField? = nil)
  /// Every word that starts with the text: `priv*`, `path:reports/2020*`.
  case prefix(String, field: QueryField? = nil)
  /// Words in this order, at most `slop` position moves apart (0 is an exact phrase):
  /// `"safe city"`, `"safe city"~3`, `title:"safe city"`.
  case phrase(String, field: QueryField? = nil, slop: Int = 0)
  /// Documents published within the range of days, both ends included; a missing end is open:
  /// `date:2019..2021`, `date:>=2020-06`.
  case date(from: QueryDate?, through: QueryDate?)
  /// Every part must match: `a AND b` (and juxtaposition with `defaultOperator: .and`).
  case and([Query])
  /// Any part may match, more matches rank higher: `a OR b`, and juxtaposition by default.
  case or([Query])
  /// Documents matching the part are excluded: `-word`, `NOT word`.
  case not(Query)
  /// The part must match even inside a ranked OR: `+word`.
  case required(Query)

  /// The query that matches nothing: what the parser returns for empty or meaningless input.
  public static let empty: Query = .or([])

  /// The largest slop a phrase may carry; the lenient parser clamps larger values to it.
  public static let maxSlop = 1_000
}

/// The fields a query can name with `field:`.
public enum QueryField: String, Sendable, Hashable, CaseIterable, Codable {
  case title, heading, body, author, lang, type, path, id
}

extension Query {
  /// True for the query that matches nothing (`Query.empty`, or a tree of empty parts). O(nodes).
  public var isEmpty: Bool { normalized == .empty }

  /// A query from any user string taken as plain words, never as syntax, each word a term
  /// (`defaultOperator` `.or` ranks documents by how many words they contain; `.and` needs all).
  /// Words are split at whitespace; the analyzer later splits them further.
  ///
  /// ```swift
  /// Query(words: #"C++ "templates" (book)"#)  // three terms: C++, "templates", (book)
  /// ```
  /// Cost: O(length of the text).
  public init(words text: String, field: QueryField? = nil, defaultOperator: QueryOperator = .or) {
    // The words are the runs between whitespace and control characters (never blank, so the
    // result is already normalized once the one-word and no-word cases are collapsed).
    let terms = text.unicodeScalars.split(whereSeparator: QueryLexer.isSpace).map {
      Query.term(String($0), field: field)
    }
    switch terms.count {
    case 0: self = .empty
    case 1: self = terms[0]
    default: self = defaultOperator == .and ? .and(terms) : .or(terms)
    }
  }

  /// The same query without degenerate parts: empty leaves (blank text, a date range with no
  /// end) are dropped, a date range written backwards is put in order, an AND or OR with one part becomes that part, one with none becomes
  /// `Query.empty`, and a phrase's slop is clamped to `0...Query.maxSlop`. Structure is otherwise
  /// kept (nested ORs are not flattened). Every query the parser returns is already normalized,
  /// and `Query(parsing: q.syntax) == q.normalized` for any `q` within the parser's limits.
  /// Cost: O(nodes).
  public var normalized: Query {
    switch self {
    case .term(let text, _), .prefix(let text, _):
      return QueryLexer.isBlank(text) ? .empty : self
    case .phrase(let text, let field, let slop):
      if QueryLexer.isBlank(text) { return .empty }
      return .phrase(text, field: field, slop: min(max(slop, 0), Query.maxSlop))
    case .date(let from, let through):
      if let from, let through, through < from { return .date(from: through, through: from) }
      return from == nil && through == nil ? .empty : self
    case .and(let parts), .or(let parts):
      let kept = parts.map(\.normalized).filter { $0 != .empty }
      if kept.count == 1 { return kept[0] }
      if kept.isEmpty { return .empty }
      if case .and = self { return .and(kept) }
      return .or(kept)
    case .not(let part):
      let inner = part.normalized
      return inner == .empty ? .empty : .not(inner)
    case .required(let part):
      let inner = part.normalized
      return inner == .empty ? .empty : .required(inner)
    }
  }

  /// The query in canonical query syntax, which parses back to the same value
  /// (`Query(parsing: q.syntax) == q.normalized`). Operators are always written out (`a OR b`),
  /// exclusion is written `-x`, and every character of a leaf's text that could be read as
  /// syntax is escaped with a backslash.
  ///
  /// ```swift
  /// Query.and([.term("AND"), .prefix("priv")]).syntax  // \AND AND priv*
  /// ```
  /// Cost: O(size of the output).
  public var syntax: String { QueryRenderer.render(self) }
}

extension Query: CustomStringConvertible {
  /// The canonical query syntax (see `syntax`).
  public var description: String { syntax }
}

/// How words written next to each other, with no operator between them, combine.
public enum QueryOperator: String, Sendable, Hashable, Codable {
  /// Any of the words (a ranked OR): the default, as in most search engines.
  case or
  /// All of the words.
  case and
}
