/// A field's number within a segment: its index in the schema, and the first byte of every
/// dictionary key of the field.
package typealias FieldNumber = UInt8

/// What is indexed for a field.
package enum FieldKind: UInt8, Sendable, Hashable {
  /// Analyzed text: terms with frequencies, positions (unless turned off) and length norms.
  case text = 1
  /// Exact-match values (id, path, language, type): terms with doc ids only.
  case keyword = 2
  /// One signed 64-bit value per document (the publication date as days since 1970-01-01):
  /// a doc-values column for sorting plus a sorted index for range queries.
  case numeric = 3
}

/// One field of the schema.
package struct FieldInfo: Sendable, Hashable {
  package var number: FieldNumber
  package var name: String
  package var kind: FieldKind
  /// Text fields only: whether positions are indexed (phrase queries, snippets).
  package var positions: Bool

  package init(number: FieldNumber, name: String, kind: FieldKind, positions: Bool = true) {
    self.number = number
    self.name = name
    self.kind = kind
    self.positions = kind == .text && positions
  }

  /// Postings carry term frequencies (text fields).
  package var hasFreqs: Bool { kind == .text }
  /// Postings carry positions.
  package var hasPositions: Bool { kind == .text && positions }
  /// The field has a length norm per document.
  package var hasNorms: Bool { kind == .text }
  /// The field has terms in the dictionary.
  package var isIndexed: Bool { kind != .numeric }
}

/// The fields of a segment, numbered densely from 0 (at most 255).
///
///     let schema = FieldSchema.standard
///     let body = schema.number(of: "body")!     // 2
///
/// Stored in every segment's `.si` file, so a reader never needs outside knowledge.
package struct FieldSchema: Sendable, Hashable {
  package private(set) var fields: [FieldInfo]

  /// A schema of `fields`, whose numbers must be 0, 1, 2, ... in order.
  package init(_ fields: [FieldInfo]) {
    precondition(fields.count <= 255, "at most 255 fields")
    for (i, f) in fields.enumerated() {
      precondition(Int(f.number) == i, "field numbers must be 0..<count in order")
    }
    precondition(Set(fields.map(\.name)).count == fields.count, "field names must be unique")
    self.fields = fields
  }

  /// Dossier's fields: text `title`, `headings`, `body`, `author`; keyword `id`, `path`,
  /// `lang`, `type`; numeric `date` (days since 1970-01-01).
  package static let standard = FieldSchema([
    FieldInfo(number: 0, name: "title", kind: .text),
    FieldInfo(number: 1, name: "headings", kind: .text),
    FieldInfo(number: 2, name: "body", kind: .text),
    FieldInfo(number: 3, name: "author", kind: .text),
    FieldInfo(number: 4, name: "id", kind: .keyword),
    FieldInfo(number: 5, name: "path", kind: .keyword),
    FieldInfo(number: 6, name: "lang", kind: .keyword),
    FieldInfo(number: 7, name: "type", kind: .keyword),
    FieldInfo(number: 8, name: "date", kind: .numeric),
  ])

  package var count: Int { fields.count }
  package subscript(_ number: FieldNumber) -> FieldInfo { fields[Int(number)] }
  /// The number of the field called `name`.
  package func number(of name: String) -> FieldNumber? { fields.first { $0.name == name }?.number }
}

/// Per-field statistics of a segment, for BM25 and BM25F.
package struct FieldStats: Sendable, Hashable {
  /// Documents with at least one token (text) or value (keyword, numeric) in the field.
  package var docCount: UInt32 = 0
  /// The sum of the field's lengths (text), or the number of values (keyword, numeric).
  package var totalTokens: UInt64 = 0
  /// The number of distinct terms of the field in the dictionary (0 for numeric fields).
  package var termCount: UInt64 = 0

  package init(docCount: UInt32 = 0, totalTokens: UInt64 = 0, termCount: UInt64 = 0) {
    self.docCount = docCount
    self.totalTokens = totalTokens
    self.termCount = termCount
  }
}
