/// The tokens of one analyzed text, in flat arrays: what the index writer consumes.
///
/// Term bytes sit one after another in `termBytes`; token `i` spans
/// `termEnds[i - 1]..<termEnds[i]` (from 0 for the first). Offsets are UTF-8 byte offsets into
/// the analyzed text. Reuse one value across texts (`removeAll()`) so its buffers are
/// allocated once.
///
///     var out = AnalyzedText()
///     session.analyze(bytes, language: .english, into: &out)
///     for i in 0..<out.count { print(out.term(i), out.positions[i]) }
public struct AnalyzedText: Sendable, Hashable {
  public var termBytes: [UInt8] = []
  public var termEnds: [UInt32] = []
  public var positions: [UInt32] = []
  public var startOffsets: [UInt32] = []
  public var endOffsets: [UInt32] = []
  public var kinds: [TokenKind] = []
  /// The position after the last word seen, stopwords included: the field length in words,
  /// and where the next value of a multi-valued field continues.
  public var nextPosition: UInt32 = 0
  /// Tokens removed as stopwords.
  public var stopwordCount: Int = 0
  /// Whether offsets and kinds are recorded; the index writer needs only terms and positions
  /// and turns this off (`startOffsets`, `endOffsets` and `kinds` then stay empty).
  public var recordsOffsets: Bool
  /// Whether each token's term-cache entry is recorded (`termEntries`), for the index writer.
  package var recordsEntries = false
  /// Per token, the index of the analyzer's term-cache entry it came from (`UInt32.max` for a
  /// token made without the cache, such as a CJK bigram), of the epoch of its run in
  /// `entryRuns`.
  package var termEntries: [UInt32] = []
  /// Where the cache's epoch changes: each run says from which token on the entries belong to
  /// which epoch (usually one run; a second when the cache started again mid-text).
  package var entryRuns: [EntryRun] = []

  public init(recordsOffsets: Bool = true) {
    self.recordsOffsets = recordsOffsets
  }

  /// The number of tokens.
  public var count: Int { termEnds.count }

  /// The bytes of token `i`'s term.
  public func termRange(_ i: Int) -> Range<Int> {
    (i == 0 ? 0 : Int(termEnds[i - 1]))..<Int(termEnds[i])
  }

  /// Token `i`'s term as a string (allocates).
  public func term(_ i: Int) -> String {
    String(decoding: termBytes[termRange(i)], as: UTF8.self)
  }

  /// Every token as a `Token` value (allocates).
  public var tokens: [Token] {
    (0..<count).map {
      Token(
        term: term($0), position: Int(positions[$0]), startOffset: recordsOffsets ? Int(startOffsets[$0]) : 0,
        endOffset: recordsOffsets ? Int(endOffsets[$0]) : 0, kind: recordsOffsets ? kinds[$0] : .word)
    }
  }

  /// Empties the arrays, keeping their capacity.
  public mutating func removeAll() {
    termBytes.removeAll(keepingCapacity: true)
    termEnds.removeAll(keepingCapacity: true)
    positions.removeAll(keepingCapacity: true)
    startOffsets.removeAll(keepingCapacity: true)
    endOffsets.removeAll(keepingCapacity: true)
    kinds.removeAll(keepingCapacity: true)
    termEntries.removeAll(keepingCapacity: true)
    entryRuns.removeAll(keepingCapacity: true)
    nextPosition = 0
    stopwordCount = 0
  }
}

/// A run of tokens whose term-cache entries belong to one epoch of the analyzer's cache: from
/// token `start` to the next run's start (or the end). Within an epoch, equal entries mean
/// equal terms, and epochs are unique in the process.
package struct EntryRun: Sendable, Hashable {
  package var start: Int
  package var epoch: UInt64

  package init(start: Int, epoch: UInt64) {
    self.start = start
    self.epoch = epoch
  }
}
