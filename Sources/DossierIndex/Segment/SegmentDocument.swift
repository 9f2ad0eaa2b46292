import DossierAnalysis

/// The analyzed tokens of one text field of one document: term bytes concatenated in one
/// buffer, with each token's end offset and position (no allocation per token).
///
///     var t = TokenBuffer()
///     t.append(Array("quick".utf8), position: 0)
///     t.append(Array("fox".utf8), position: 2)
///     t.length = 3       // the field length for norms (e.g. counting removed stopwords)
package struct TokenBuffer: Sendable {
  /// All term bytes, one after another.
  package var bytes: [UInt8] = []
  /// `ends[i]` is the end offset of token i in `bytes` (token i starts at `ends[i-1]` or 0).
  package var ends: [UInt32] = []
  /// `positions[i]` is the position of token i; nondecreasing.
  package var positions: [UInt32] = []
  /// The field length for norms; nil means the number of tokens.
  package var length: UInt32? = nil
  /// Per token, the analyzer's term-cache entry it came from (`UInt32.max`: none), of the
  /// epoch its run in `entryRuns` names: equal entries of one epoch are equal terms, and the
  /// segment writer looks each entry's term up once per epoch. Used only when it has one
  /// value per token.
  package var entries: [UInt32] = []
  package var entryRuns: [EntryRun] = []

  package init() {}

  /// Tokens appended.
  package var count: Int { ends.count }

  /// Appends a token.
  package mutating func append(_ term: UnsafeRawBufferPointer, position: UInt32) {
    if entries.count == ends.count { entries.append(UInt32.max) }  // a token without an entry
    bytes.append(contentsOf: term)
    ends.append(UInt32(bytes.count))
    positions.append(position)
  }

  package mutating func append(_ term: [UInt8], position: UInt32) {
    term.withUnsafeBytes { append($0, position: position) }
  }

  /// Appends the tokens of an analyzed text (terms and positions).
  package mutating func append(_ analyzed: AnalyzedText) {
    if entries.count == ends.count {
      if analyzed.recordsEntries {
        for run in analyzed.entryRuns {
          let start = entries.count + run.start
          if entryRuns.last?.epoch != run.epoch { entryRuns.append(EntryRun(start: start, epoch: run.epoch)) }
        }
        entries.append(contentsOf: analyzed.termEntries)
      } else {
        entries.append(contentsOf: repeatElement(UInt32.max, count: analyzed.count))
      }
    }
    let base = UInt32(bytes.count)
    bytes.append(contentsOf: analyzed.termBytes)
    if base == 0 {
      ends.append(contentsOf: analyzed.termEnds)
    } else {
      for end in analyzed.termEnds { ends.append(end + base) }
    }
    positions.append(contentsOf: analyzed.positions)
  }

  /// Empties the buffer, keeping its capacity.
  package mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    positions.removeAll(keepingCapacity: true)
    entries.removeAll(keepingCapacity: true)
    entryRuns.removeAll(keepingCapacity: true)
    length = nil
  }

  var _fieldLength: UInt32 { length ?? UInt32(ends.count) }
}

/// One document for `SegmentWriter.add(_:)`: per field its tokens (text), values (keyword) or
/// number (numeric), and the stored blob. Reuse one value across documents (`removeAll()`) so
/// that its buffers are allocated once.
///
///     var doc = SegmentDocument(schema: .standard)
///     doc.text[2].append(Array("fox".utf8), position: 0)      // body
///     doc.keywords[4] = [Array("report-17".utf8)]             // id
///     doc.numbers[8] = 18_993                                 // date, days since 1970-01-01
///     doc.stored = serializedDocument
package struct SegmentDocument: Sendable {
  /// Indexed by field number; used for text fields.
  package var text: [TokenBuffer]
  /// Indexed by field number; used for keyword fields (any number of values each).
  package var keywords: [[[UInt8]]]
  /// Indexed by field number; used for numeric fields.
  package var numbers: [Int64?]
  /// The stored record, opaque to the index.
  package var stored: [UInt8] = []

  package init(schema: FieldSchema) {
    text = Array(repeating: TokenBuffer(), count: schema.count)
    keywords = Array(repeating: [], count: schema.count)
    numbers = Array(repeating: nil, count: schema.count)
  }

  /// Empties every field, keeping buffers.
  package mutating func removeAll() {
    for i in text.indices {
      text[i].removeAll()
      keywords[i].removeAll(keepingCapacity: true)
      numbers[i] = nil
    }
    stored.removeAll(keepingCapacity: true)
  }
}
