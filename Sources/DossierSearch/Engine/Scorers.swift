import DossierIndex
import Foundation

/// A document iterator that scores: the building block of query evaluation, one per query
/// node per segment (Lucene's Scorer). Iterates matching doc ids in increasing order.
class _Scorer {
  /// The current document, `noMoreDocs` when exhausted, and `-1`-like (`UInt32.max - 1`) never.
  var doc: UInt32 = 0
  @inline(__always) static var end: UInt32 { .max }

  /// Moves to the next matching document.
  func next() -> UInt32 { fatalError("abstract") }
  /// Moves to the first matching document at or after `target`.
  func advance(_ target: UInt32) -> UInt32 { fatalError("abstract") }
  /// The score of the current document.
  func score() -> Double { 0 }
  /// An upper bound of `score()` over all documents (for MaxScore).
  var maxScore: Double { .infinity }
  /// About how many documents the scorer visits (Lucene's cost): a conjunction leads with
  /// its cheapest child.
  var cost: Int { Int(Int32.max) }
  /// The score a document needs to be worth finding, when the caller wants only the top hits
  /// and not every match (Lucene's `setMinCompetitiveScore`): a scorer may then skip documents
  /// whose bound is below it before doing the costly part of matching them (a phrase's
  /// positions). 0 (the default) means every match is wanted.
  var minCompetitiveScore = 0.0
  /// Per-clause contributions of the current document, for `--explain`.
  func explain(_ out: inout [ScoreContribution]) {}
  /// A bound of `score()` over the documents from `target` to the returned `last` (both
  /// included), from the block bounds of the postings (block-max); by default the global bound.
  func blockMax(at target: UInt32) -> (score: Double, last: UInt32) { (maxScore, Self.end - 1) }
}

/// What one query word or phrase contributed to a hit's score, in one field.
public struct ScoreContribution: Sendable, Hashable {
  /// The query word (its text as typed) or phrase.
  public var clause: String
  public var field: String
  /// Term (or phrase) frequency in the field.
  public var frequency: Int
  /// The field's length in this document.
  public var fieldLength: Int
  /// The clause's share of the score (the whole clause's BM25F score is split over fields in
  /// proportion to their normalized frequencies).
  public var score: Double
}

/// BM25 parameters and the statistics a clause needs.
struct _BM25 {
  var k1: Double
  var b: Double

  /// Lucene's idf: ln(1 + (N − df + 0.5) / (df + 0.5)).
  static func idf(docCount: Double, docFreq: Double) -> Double {
    log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5))
  }
}

/// One field a clause is searched in, in one segment.
struct _FieldInput {
  var field: FieldNumber
  var name: String
  var weight: Double
  var averageLength: Double
  var lengths: LengthColumn?
  /// One cursor per term variant present in this segment.
  var cursors: [PostingsCursor]
}

/// Scores one query word (its variants across languages, in one or more fields) with BM25F:
/// tf~ = Σ_f w_f · tf_f / (1 − b + b · len_f / avglen_f), score = idf · tf~ / (k1 + tf~).
final class _TermScorer: _Scorer {
  /// What the per-document loops need of one field: plain values, no references.
  struct _Field {
    var weight: Double
    var averageLength: Double
    var lengths: LengthColumn?
    /// The length normalization 1 − b + b · len / avglen is `normBase + normSlope · len`.
    var normBase: Double
    var normSlope: Double
    /// The field's cursors are `cursors[start..<end]`.
    var start: Int
    var end: Int
  }

  /// Every field's cursors in one allocation, reached through a pointer (no copies, no
  /// exclusivity checks); `fields[i]` says which are field i's.
  let cursors: UnsafeMutablePointer<PostingsCursor>
  let cursorCount: Int
  let fields: UnsafeMutablePointer<_Field>
  let fieldCount: Int
  let names: [String]
  let idf: Double
  let bm25: _BM25
  let label: String

  /// The largest score any document can get: the best frequency and shortest length of each
  /// field's postings (from the skip data) put together.
  let bound: Double

  init(inputs: [_FieldInput], idf: Double, bm25: _BM25, label: String) {
    cursorCount = inputs.reduce(0) { $0 + $1.cursors.count }
    cursors = .allocate(capacity: max(1, cursorCount))
    fieldCount = inputs.count
    fields = .allocate(capacity: max(1, inputs.count))
    names = inputs.map(\.name)
    self.idf = idf
    self.bm25 = bm25
    self.label = label
    var next = 0
    var tilde = 0.0
    for (i, f) in inputs.enumerated() {
      let field = _Field(
        weight: f.weight, averageLength: f.averageLength, lengths: f.lengths,
        normBase: 1 - bm25.b, normSlope: bm25.b / max(f.averageLength, 1e-9),
        start: next, end: next + f.cursors.count)
      // A document's frequency in the field is the sum over the variants, so the sum of their
      // best normalized frequencies bounds it.
      var best = 0.0
      for c in f.cursors {
        (cursors + next).initialize(to: c)
        best += cursors[next].termMaxNormalizedFreq(normBase: field.normBase, normSlope: field.normSlope)
        next += 1
      }
      (fields + i).initialize(to: field)
      tilde += f.weight * best
    }
    bound = tilde > 0 ? idf * tilde / (bm25.k1 + tilde) : idf
    super.init()
    doc = currentMin()
  }

  deinit {
    cursors.deinitialize(count: cursorCount)
    cursors.deallocate()
    fields.deinitialize(count: fieldCount)
    fields.deallocate()
  }

  override var cost: Int { (0..<cursorCount).reduce(0) { $0 + Int(cursors[$1].docFreq) } }

  @inline(__always)
  func currentMin() -> UInt32 {
    var m = Self.end
    for j in 0..<cursorCount where cursors[j].doc < m { m = cursors[j].doc }
    return m
  }

  override func next() -> UInt32 {
    let current = doc
    for j in 0..<cursorCount where cursors[j].doc == current { cursors[j].next() }
    doc = currentMin()
    return doc
  }

  override func advance(_ target: UInt32) -> UInt32 {
    if doc >= target { return doc }
    for j in 0..<cursorCount where cursors[j].doc < target { cursors[j].advance(to: target) }
    doc = currentMin()
    return doc
  }

  /// The normalized, weighted frequency of each field at the current document.
  @inline(__always)
  func fieldFrequencies(_ body: (Int, Double, UInt32, UInt32) -> Void) {
    for i in 0..<fieldCount {
      let f = fields[i]
      var tf: UInt32 = 0
      for j in f.start..<f.end where cursors[j].doc == doc { tf += cursors[j].freq }
      guard tf > 0 else { continue }
      let length = f.lengths?[doc] ?? 0
      body(i, f.weight * Double(tf) / (f.normBase + f.normSlope * Double(length)), tf, length)
    }
  }

  override func score() -> Double {
    var tilde = 0.0
    fieldFrequencies { _, x, _, _ in tilde += x }
    return idf * tilde / (bm25.k1 + tilde)
  }

  override var maxScore: Double { bound * (1 + 1e-12) }

  var cachedBlock: (from: UInt32, last: UInt32, score: Double) = (1, 0, 0)

  override func blockMax(at target: UInt32) -> (score: Double, last: UInt32) {
    if target >= cachedBlock.from && target <= cachedBlock.last {
      return (cachedBlock.score, cachedBlock.last)
    }
    var last = Self.end - 1
    var tilde = 0.0
    for i in 0..<fieldCount {
      let f = fields[i]
      var best = 0.0
      for j in f.start..<f.end {
        let blockLast = cursors[j].shallowAdvance(to: target)
        if blockLast == PostingsCursor.noMoreDocs { continue }
        last = min(last, blockLast)
        best += cursors[j].blockMaxNormalizedFreq(normBase: f.normBase, normSlope: f.normSlope)
      }
      tilde += f.weight * best
    }
    let score = (tilde > 0 ? idf * tilde / (bm25.k1 + tilde) : 0) * (1 + 1e-12)
    cachedBlock = (target, last, score)
    return (score, last)
  }

  override func explain(_ out: inout [ScoreContribution]) {
    var parts: [(Int, Double, UInt32, UInt32)] = []
    fieldFrequencies { parts.append(($0, $1, $2, $3)) }
    let tilde = parts.reduce(0) { $0 + $1.1 }
    let total = idf * tilde / (bm25.k1 + tilde)
    for (i, x, tf, length) in parts {
      out.append(
        ScoreContribution(
          clause: label, field: names[i], frequency: Int(tf), fieldLength: Int(length),
          score: tilde > 0 ? total * x / tilde : 0))
    }
  }
}

/// `_TermScorer` for the common case of one field and one term variant: the cursor is a stored
/// property of its own, not an element of nested arrays, which the per-document loops reach
/// without copies. Same scores as `_TermScorer`.
final class _SingleTermScorer: _Scorer {
  /// The cursor, in memory of its own: reached through a pointer, so that the per-document
  /// calls neither copy it nor pay the dynamic exclusivity checks of a class's stored property.
  let cursor: UnsafeMutablePointer<PostingsCursor>
  let name: String
  let weight: Double
  let averageLength: Double
  let lengths: LengthColumn?
  let idf: Double
  let bm25: _BM25
  let label: String
  /// `bound`, once computed (−1 before): a query that never fills its top k never needs it.
  private var _bound = -1.0
  /// The length normalization 1 − b + b · len / avglen is `normBase + normSlope · len`.
  let normBase: Double
  let normSlope: Double

  init(input: _FieldInput, idf: Double, bm25: _BM25, label: String) {
    normBase = 1 - bm25.b
    normSlope = bm25.b / max(input.averageLength, 1e-9)
    cursor = .allocate(capacity: 1)
    cursor.initialize(to: input.cursors[0])
    name = input.name
    weight = input.weight
    averageLength = input.averageLength
    lengths = input.lengths
    self.idf = idf
    self.bm25 = bm25
    self.label = label
    super.init()
    doc = cursor.pointee.doc
  }

  deinit {
    cursor.deinitialize(count: 1)
    cursor.deallocate()
  }

  override var cost: Int { Int(cursor.pointee.docFreq) }

  override func next() -> UInt32 {
    doc = cursor.pointee.next()
    return doc
  }

  override func advance(_ target: UInt32) -> UInt32 {
    if doc >= target { return doc }
    doc = cursor.pointee.advance(to: target)
    return doc
  }

  /// idf · tf~ / (k1 + tf~) with tf~ = w · tf / norm, written with one division:
  /// idf · w · tf / (k1 · norm + w · tf).
  @inline(__always)
  func score(_ tf: UInt32, _ length: UInt32) -> Double {
    let wtf = weight * Double(tf)
    return idf * wtf / (bm25.k1 * (normBase + normSlope * Double(length)) + wtf)
  }

  @inline(__always)
  var freq: UInt32 { cursor.pointee.freq }

  override func score() -> Double { score(freq, lengths?[doc] ?? 0) }

  /// The largest score of any document, from the term's impacts.
  var bound: Double {
    if _bound < 0 {
      let tilde = weight * cursor.pointee.termMaxNormalizedFreq(normBase: normBase, normSlope: normSlope)
      _bound = tilde > 0 ? idf * tilde / (bm25.k1 + tilde) : idf
    }
    return _bound
  }

  override var maxScore: Double { bound * (1 + 1e-12) }

  var cachedBlock: (from: UInt32, last: UInt32, score: Double) = (1, 0, 0)

  override func blockMax(at target: UInt32) -> (score: Double, last: UInt32) {
    if target >= cachedBlock.from && target <= cachedBlock.last {
      return (cachedBlock.score, cachedBlock.last)
    }
    let blockLast = cursor.pointee.shallowAdvance(to: target)
    guard blockLast != PostingsCursor.noMoreDocs else {
      cachedBlock = (target, Self.end - 1, 0)
      return (0, Self.end - 1)
    }
    if cursor.pointee.blockCount == 1 {
      // One block: its bound is the whole list's, computed at creation.
      cachedBlock = (target, blockLast, maxScore)
      return (maxScore, blockLast)
    }
    let tilde = weight * cursor.pointee.blockMaxNormalizedFreq(normBase: normBase, normSlope: normSlope)
    let score = (tilde > 0 ? idf * tilde / (bm25.k1 + tilde) : 0) * (1 + 1e-12)
    cachedBlock = (target, blockLast, score)
    return (score, blockLast)
  }

  override func explain(_ out: inout [ScoreContribution]) {
    let length = lengths?[doc] ?? 0
    out.append(
      ScoreContribution(
        clause: label, field: name, frequency: Int(freq), fieldLength: Int(length), score: score()))
  }
}

/// Scores a phrase: documents where the words occur in order (within `slop` moves), in one or
/// more fields; the phrase frequency stands in for tf in BM25F, the idf is the sum of the
/// words' idfs.
///
/// Candidates come from a conjunction of the words' cursors per field (leading with the
/// rarest word); each is then checked on positions, gathered into scratch buffers that live as
/// long as the scorer (no allocation per document). Cost per candidate: O(positions of its
/// words) for an exact phrase, O(p log p) with slop.
final class _PhraseScorer: _Scorer {
  /// The input, one per field that has every word.
  struct FieldPhrase {
    var field: FieldNumber
    var name: String
    var weight: Double
    var averageLength: Double
    var lengths: LengthColumn?
    /// Per phrase word: its variants' cursors; `offsets[i]` is the word's position in the phrase.
    var words: [[PostingsCursor]]
    var offsets: [Int]
  }

  /// One word of one field: its variants are `cursors[start..<end]`, at `offset` in the phrase.
  struct _Word {
    var start: Int
    var end: Int
    var offset: Int
  }

  /// One field: its words are `words[wordStart..<wordEnd]` in phrase order, and
  /// `rarestFirst[wordStart..<wordEnd]` the same indices by increasing document frequency.
  struct _Field {
    var weight: Double
    var normBase: Double
    var normSlope: Double
    var lengths: LengthColumn?
    var wordStart: Int
    var wordEnd: Int
  }

  /// Every word's cursors in one allocation, reached through a pointer (no copies, no
  /// exclusivity checks).
  let cursors: UnsafeMutablePointer<PostingsCursor>
  let cursorCount: Int
  let words: [_Word]
  let rarestFirst: [Int]
  let fields: [_Field]
  let names: [String]
  let slop: Int
  let idf: Double
  let bm25: _BM25
  let label: String
  let totalCost: Int
  /// The phrase frequency of each field at `doc`.
  var frequencies: [UInt32]
  /// Scratch: each word's positions at the candidate (minus its offset), and where each starts.
  var scratch: [Int] = []
  var scratchStarts: [Int] = []

  init(fields input: [FieldPhrase], slop: Int, idf: Double, bm25: _BM25, label: String) {
    cursorCount = input.reduce(0) { $0 + $1.words.reduce(0) { $0 + $1.count } }
    cursors = .allocate(capacity: max(1, cursorCount))
    var words: [_Word] = []
    var rarestFirst: [Int] = []
    var fields: [_Field] = []
    var next = 0
    var cost = 0
    for f in input {
      var fieldWords: [(_Word, Int)] = []
      for (w, variants) in f.words.enumerated() {
        for c in variants {
          (cursors + next).initialize(to: c)
          next += 1
        }
        let df = variants.reduce(0) { $0 + Int($1.docFreq) }
        fieldWords.append((_Word(start: next - variants.count, end: next, offset: f.offsets[w]), df))
      }
      cost += fieldWords.map(\.1).min() ?? 0
      fields.append(
        _Field(
          weight: f.weight, normBase: 1 - bm25.b, normSlope: bm25.b / max(f.averageLength, 1e-9),
          lengths: f.lengths, wordStart: words.count, wordEnd: words.count + fieldWords.count))
      rarestFirst += fieldWords.indices.sorted { fieldWords[$0].1 < fieldWords[$1].1 }.map {
        words.count + $0
      }
      words += fieldWords.map(\.0)
    }
    self.words = words
    self.rarestFirst = rarestFirst
    self.fields = fields
    names = input.map(\.name)
    self.slop = slop
    self.idf = idf
    self.bm25 = bm25
    self.label = label
    totalCost = cost
    frequencies = [UInt32](repeating: 0, count: input.count)
    // A phrase occurs at most as often as its least frequent word: per field, the smallest of
    // the words' best normalized frequencies bounds the phrase's.
    var tilde = 0.0
    for f in fields {
      var least = Double.infinity
      for w in f.wordStart..<f.wordEnd {
        var best = 0.0
        for j in words[w].start..<words[w].end {
          best += cursors[j].termMaxNormalizedFreq(normBase: f.normBase, normSlope: f.normSlope)
        }
        least = min(least, best)
      }
      if least.isFinite { tilde += f.weight * least }
    }
    bound = (idf * tilde / (bm25.k1 + tilde)) * (1 + 1e-12)
    super.init()
    doc = 0
    doc = find(from: 0)
  }

  /// The largest score a document can get (see `init`).
  let bound: Double
  var cachedBlock: (from: UInt32, last: UInt32, score: Double) = (1, 0, 0)

  /// The bound over the current blocks of every word: per field, the smallest of the words'
  /// block-max normalized frequencies, up to the first block end of any of them.
  override func blockMax(at target: UInt32) -> (score: Double, last: UInt32) {
    if target >= cachedBlock.from && target <= cachedBlock.last {
      return (cachedBlock.score, cachedBlock.last)
    }
    var last = Self.end - 1
    var tilde = 0.0
    for f in fields {
      var least = Double.infinity
      for w in f.wordStart..<f.wordEnd {
        var best = 0.0
        for j in words[w].start..<words[w].end {
          let blockLast = cursors[j].shallowAdvance(to: target)
          if blockLast == PostingsCursor.noMoreDocs { continue }
          last = min(last, blockLast)
          best += cursors[j].blockMaxNormalizedFreq(normBase: f.normBase, normSlope: f.normSlope)
        }
        least = min(least, best)
      }
      if least.isFinite { tilde += f.weight * least }
    }
    let score = (idf * tilde / (bm25.k1 + tilde)) * (1 + 1e-12)
    cachedBlock = (target, last, score)
    return (score, last)
  }

  deinit {
    cursors.deinitialize(count: cursorCount)
    cursors.deallocate()
  }

  override var cost: Int { totalCost }

  /// The smallest doc of word `w`'s variants.
  @inline(__always)
  func wordDoc(_ w: Int) -> UInt32 {
    var m = Self.end
    for j in words[w].start..<words[w].end where cursors[j].doc < m { m = cursors[j].doc }
    return m
  }

  /// The first document at or after `target` where some field holds the phrase.
  func find(from target: UInt32) -> UInt32 {
    var candidate = target
    while true {
      // The smallest doc >= candidate where all words of some field co-occur.
      var best = Self.end
      for i in fields.indices {
        if let d = conjunction(i, from: candidate), d < best { best = d }
      }
      if best == Self.end { return Self.end }
      // Top-k only: a window of candidates that cannot compete is skipped before any of its
      // positions are read.
      if minCompetitiveScore > 0 {
        let (bound, last) = blockMax(at: best)
        if bound < minCompetitiveScore {
          if last >= Self.end - 1 { return Self.end }
          candidate = last + 1
          continue
        }
      }
      var any = false
      for i in fields.indices {
        frequencies[i] = phraseFrequency(i, at: best)
        if frequencies[i] > 0 { any = true }
      }
      if any { return best }
      candidate = best + 1
    }
  }

  /// Advances field i's word cursors to the first doc >= target where every word occurs.
  func conjunction(_ i: Int, from target: UInt32) -> UInt32? {
    var target = target
    let f = fields[i]
    while true {
      var agreed = true
      for r in f.wordStart..<f.wordEnd {
        let w = rarestFirst[r]
        for j in words[w].start..<words[w].end where cursors[j].doc < target {
          cursors[j].advance(to: target)
        }
        let m = wordDoc(w)
        if m == Self.end { return nil }
        if m > target {
          target = m
          agreed = false
          break
        }
      }
      if agreed { return target }
    }
  }

  /// Occurrences of the phrase in field i at `doc` (cursors are on or past it).
  func phraseFrequency(_ i: Int, at doc: UInt32) -> UInt32 {
    let f = fields[i]
    // The scratch arrays move into locals for the loops: appending to a class's stored
    // property pays a dynamic exclusivity check per element (a quarter of a phrase query's
    // time on the benchmark's frequent pairs).
    var scratch = self.scratch
    var scratchStarts = self.scratchStarts
    self.scratch = []
    self.scratchStarts = []
    defer {
      self.scratch = scratch
      self.scratchStarts = scratchStarts
    }
    scratch.removeAll(keepingCapacity: true)
    scratchStarts.removeAll(keepingCapacity: true)
    for w in f.wordStart..<f.wordEnd {
      let start = scratch.count
      scratchStarts.append(start)
      let offset = words[w].offset
      var variants = 0
      for j in words[w].start..<words[w].end where cursors[j].doc == doc {
        variants += 1
        cursors[j].withPositions { ps in for p in ps { scratch.append(Int(p) - offset) } }
      }
      if scratch.count == start { return 0 }
      if variants > 1 { scratch[start...].sort() }
    }
    scratchStarts.append(scratch.count)
    let n = f.wordEnd - f.wordStart
    return scratch.withUnsafeBufferPointer { all in
      scratchStarts.withUnsafeBufferPointer { starts in
        slop == 0 ? Self.exactCount(all, starts, n) : Self.sloppyCount(all, starts, n, slop)
      }
    }
  }

  /// Exact phrases: the values present in all `n` sorted lists (the lists are the words'
  /// positions minus their offsets), by walking them together. O(total length).
  static func exactCount(_ all: UnsafeBufferPointer<Int>, _ starts: UnsafeBufferPointer<Int>, _ n: Int)
    -> UInt32
  {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { cursor in
      for k in 0..<n { cursor[k] = starts[k] }
      var count: UInt32 = 0
      outer: for i in starts[0]..<starts[1] {
        let p = all[i]
        for k in 1..<n {
          var j = cursor[k]
          let end = starts[k + 1]
          while j < end && all[j] < p { j += 1 }
          cursor[k] = j
          if j == end { break outer }
          if all[j] != p { continue outer }
        }
        count += 1
      }
      return count
    }
  }

  /// Sloppy phrases: a start of the first list counts when the distances from it to the nearest
  /// value of every other list add up to at most `slop`.
  static func sloppyCount(
    _ all: UnsafeBufferPointer<Int>, _ starts: UnsafeBufferPointer<Int>, _ n: Int, _ slop: Int
  ) -> UInt32 {
    var count: UInt32 = 0
    for i in starts[0]..<starts[1] {
      let start = all[i]
      var spread = 0
      for k in 1..<n {
        spread += distance(to: start, in: UnsafeBufferPointer(rebasing: all[starts[k]..<starts[k + 1]]))
        if spread > slop { break }
      }
      if spread <= slop { count += 1 }
    }
    return count
  }

  /// The distance from `target` to the nearest value of the sorted `list` (binary search).
  static func distance(to target: Int, in list: UnsafeBufferPointer<Int>) -> Int {
    var lo = 0
    var hi = list.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if list[mid] < target { lo = mid + 1 } else { hi = mid }
    }
    var best = Int.max
    if lo < list.count { best = list[lo] - target }
    if lo > 0 { best = min(best, target - list[lo - 1]) }
    return best
  }

  override func next() -> UInt32 {
    doc = doc == Self.end ? Self.end : find(from: doc + 1)
    return doc
  }

  override func advance(_ target: UInt32) -> UInt32 {
    if doc >= target { return doc }
    doc = find(from: target)
    return doc
  }

  func weighted(_ body: (Int, Double) -> Void) {
    for (i, f) in fields.enumerated() where frequencies[i] > 0 {
      let length = f.lengths?[doc] ?? 0
      body(i, f.weight * Double(frequencies[i]) / (f.normBase + f.normSlope * Double(length)))
    }
  }

  override func score() -> Double {
    var tilde = 0.0
    weighted { tilde += $1 }
    return idf * tilde / (bm25.k1 + tilde)
  }

  override var maxScore: Double { bound }

  override func explain(_ out: inout [ScoreContribution]) {
    var parts: [(Int, Double)] = []
    weighted { parts.append(($0, $1)) }
    let tilde = parts.reduce(0) { $0 + $1.1 }
    let total = idf * tilde / (bm25.k1 + tilde)
    for (i, x) in parts {
      out.append(
        ScoreContribution(
          clause: label, field: names[i], frequency: Int(frequencies[i]),
          fieldLength: Int(fields[i].lengths?[doc] ?? 0), score: tilde > 0 ? total * x / tilde : 0))
    }
  }
}

/// Documents in a sorted list, scoring 0 (keyword matches, date ranges): a filter.
final class _ListScorer: _Scorer {
  override func blockMax(at target: UInt32) -> (score: Double, last: UInt32) { (0, Self.end - 1) }

  let docs: [UInt32]
  var index = 0

  init(_ docs: [UInt32]) {
    self.docs = docs
    super.init()
    doc = docs.first ?? Self.end
  }

  override func next() -> UInt32 {
    index += 1
    doc = index < docs.count ? docs[index] : Self.end
    return doc
  }

  override func advance(_ target: UInt32) -> UInt32 {
    while doc < target { _ = next() }
    return doc
  }

  override var maxScore: Double { 0 }
  override var cost: Int { docs.count }
}

/// A parent scorer's children, reached without reference counting in the per-document loops:
/// the parent's `children` array owns them, this buffer only points at them. When every child
/// is a `_SingleTermScorer` (a plain query of words in one field, the common case), calls go
/// straight to that final class, without dynamic dispatch, and can be inlined.
///
///     let kids = _Children(children)      // in init; kids.deallocate() in deinit
///     kids.advance(i, target)             // child i, at +0
struct _Children {
  let base: UnsafeMutablePointer<Unmanaged<_Scorer>>
  let count: Int
  /// Whether every child is a `_SingleTermScorer`.
  let singles: Bool

  init(_ scorers: [_Scorer]) {
    count = scorers.count
    base = .allocate(capacity: max(1, scorers.count))
    for (i, s) in scorers.enumerated() { (base + i).initialize(to: .passUnretained(s)) }
    singles = scorers.allSatisfy { $0 is _SingleTermScorer }
  }

  func deallocate() { base.deallocate() }

  @inline(__always)
  subscript<R>(_ i: Int, body: (_Scorer) -> R) -> R {
    base[i]._withUnsafeGuaranteedRef(body)
  }

  @inline(__always)
  func single<R>(_ i: Int, _ body: (_SingleTermScorer) -> R) -> R {
    base[i]._withUnsafeGuaranteedRef { body(unsafeDowncast($0, to: _SingleTermScorer.self)) }
  }

  @inline(__always)
  func doc(_ i: Int) -> UInt32 { base[i]._withUnsafeGuaranteedRef { $0.doc } }

  @inline(__always)
  func next(_ i: Int) -> UInt32 {
    singles ? single(i) { $0.next() } : self[i] { $0.next() }
  }

  @inline(__always)
  func advance(_ i: Int, _ target: UInt32) -> UInt32 {
    singles ? single(i) { $0.advance(target) } : self[i] { $0.advance(target) }
  }

  @inline(__always)
  func score(_ i: Int) -> Double {
    singles ? single(i) { $0.score() } : self[i] { $0.score() }
  }

  @inline(__always)
  func blockMax(_ i: Int, at target: UInt32) -> (score: Double, last: UInt32) {
    singles ? single(i) { $0.blockMax(at: target) } : self[i] { $0.blockMax(at: target) }
  }
}

/// Any child matches; the score is the sum of the matching children's.
final class _DisjunctionScorer: _Scorer {
  let children: [_Scorer]
  let kids: _Children

  init(_ children: [_Scorer]) {
    self.children = children
    kids = _Children(children)
    super.init()
    doc = currentMin()
  }

  deinit { kids.deallocate() }

  @inline(__always)
  func currentMin() -> UInt32 {
    var m = Self.end
    for i in 0..<kids.count { m = min(m, kids.doc(i)) }
    return m
  }

  override func next() -> UInt32 {
    let current = doc
    for i in 0..<kids.count where kids.doc(i) == current { _ = kids.next(i) }
    doc = currentMin()
    return doc
  }

  override func advance(_ target: UInt32) -> UInt32 {
    if doc >= target { return doc }
    for i in 0..<kids.count where kids.doc(i) < target { _ = kids.advance(i, target) }
    doc = currentMin()
    return doc
  }

  override func score() -> Double {
    var s = 0.0
    for i in 0..<kids.count where kids.doc(i) == doc { s += kids.score(i) }
    return s
  }

  override var maxScore: Double { children.reduce(0) { $0 + $1.maxScore } }
  override var cost: Int { children.reduce(0) { $0 + $1.cost } }

  override func blockMax(at target: UInt32) -> (score: Double, last: UInt32) {
    var score = 0.0
    var last = Self.end - 1
    for i in 0..<kids.count {
      let b = kids.blockMax(i, at: target)
      score += b.score
      last = min(last, b.last)
    }
    return (score, last)
  }

  override func explain(_ out: inout [ScoreContribution]) {
    for c in children where c.doc == doc { c.explain(&out) }
  }
}

/// Every child matches; the score is the sum (in the clauses' order, so that every way of
/// evaluating the query adds the same numbers in the same order). Documents are found leading
/// with the cheapest child, the others asked to catch up (Lucene's ConjunctionDISI).
final class _ConjunctionScorer: _Scorer {
  let children: [_Scorer]
  /// The children in increasing cost: `kids[0]` leads.
  let kids: _Children
  /// The children in the clauses' order, for scoring.
  let inOrder: _Children
  /// Whether the second cheapest child costs at least `sparseRatio` times the lead: then most
  /// lead candidates fall in a block of it that nothing else needs, and `alignCompetitive`
  /// pays. (With children of similar cost, checking every candidate costs about what scoring
  /// the matches does, measured on the Debian benchmark.)
  let sparseLead: Bool
  static let sparseRatio = 8
  /// The lead and the other child when there are exactly two, both single-term scorers (for
  /// `SearchEngine.pairTopK`).
  var singlePair: (_SingleTermScorer, _SingleTermScorer)? {
    guard kids.count == 2, kids.singles else { return nil }
    return (
      kids.single(0) { $0 }, kids.single(1) { $0 }
    )
  }

  init(_ children: [_Scorer]) {
    self.children = children
    let sorted = children.sorted { $0.cost < $1.cost }
    kids = _Children(sorted)
    inOrder = _Children(children)
    sparseLead = sorted.count > 1 && sorted[1].cost >= _ConjunctionScorer.sparseRatio * max(1, sorted[0].cost)
    super.init()
    doc = align(children.map(\.doc).max() ?? Self.end)
  }

  deinit {
    kids.deallocate()
    inOrder.deallocate()
  }

  func align(_ target: UInt32) -> UInt32 {
    var target = target
    while target != Self.end {
      var agreed = true
      for i in 0..<kids.count {
        let d = kids.advance(i, target)
        if d != target {
          target = d
          agreed = false
          break
        }
      }
      if agreed { return target }
    }
    return Self.end
  }

  /// `align` for top-k, from the lead's candidate `lead`: a candidate whose lead score plus
  /// the other children's block bounds cannot reach `minCompetitiveScore` is passed over
  /// before the other children move (as Lucene's block-max conjunction does), so the blocks of
  /// frequent words are neither decoded nor scored for it. Cost per candidate: the lead's
  /// score and one cached block bound per other child.
  func alignCompetitive(_ lead: UInt32) -> UInt32 {
    var d = lead
    candidates: while d != Self.end {
      var bound = kids.score(0)
      for i in 1..<kids.count { bound += kids.blockMax(i, at: d).score }
      if bound < minCompetitiveScore {
        d = kids.next(0)
        continue
      }
      for i in 1..<kids.count {
        let di = kids.advance(i, d)
        if di != d {
          d = kids.advance(0, di)
          continue candidates
        }
      }
      return d
    }
    return Self.end
  }

  override func next() -> UInt32 {
    guard doc != Self.end, kids.count > 0 else { return Self.end }
    let lead = kids.next(0)
    doc = minCompetitiveScore > 0 && sparseLead ? alignCompetitive(lead) : align(lead)
    return doc
  }

  override func advance(_ target: UInt32) -> UInt32 {
    if doc >= target { return doc }
    if minCompetitiveScore > 0 && sparseLead {
      doc = alignCompetitive(kids.advance(0, target))
    } else {
      doc = align(target)
    }
    return doc
  }

  override func score() -> Double {
    var s = 0.0
    for i in 0..<inOrder.count { s += inOrder.score(i) }
    return s
  }

  override var maxScore: Double { children.reduce(0) { $0 + $1.maxScore } }
  override var cost: Int { children.map(\.cost).min() ?? 0 }

  override func blockMax(at target: UInt32) -> (score: Double, last: UInt32) {
    var score = 0.0
    var last = Self.end - 1
    for i in 0..<kids.count {
      let b = kids.blockMax(i, at: target)
      score += b.score
      last = min(last, b.last)
    }
    return (score, last)
  }
  override func explain(_ out: inout [ScoreContribution]) { for c in children { c.explain(&out) } }
}

/// Documents of `required` (or of `optional` when nothing is required) that `excluded` does
/// not match; the optional clauses add their scores.
final class _BooleanScorer: _Scorer {
  let main: _Scorer
  let optional: _Scorer?
  let excluded: _Scorer?

  init(main: _Scorer, optional: _Scorer?, excluded: _Scorer?) {
    self.main = main
    self.optional = optional
    self.excluded = excluded
    super.init()
    doc = skipExcluded(main.doc)
  }

  func skipExcluded(_ d: UInt32) -> UInt32 {
    var d = d
    while d != Self.end, let excluded, excluded.advance(d) == d { d = main.next() }
    return d
  }

  override func next() -> UInt32 {
    doc = skipExcluded(main.next())
    return doc
  }

  override func advance(_ target: UInt32) -> UInt32 {
    if doc >= target { return doc }
    doc = skipExcluded(main.advance(target))
    return doc
  }

  override func score() -> Double {
    var s = main.score()
    if let optional, optional !== main, optional.advance(doc) == doc { s += optional.score() }
    return s
  }

  override var maxScore: Double { main.maxScore + (optional.map { $0 === main ? 0 : $0.maxScore } ?? 0) }
  override var cost: Int { main.cost }

  override func blockMax(at target: UInt32) -> (score: Double, last: UInt32) {
    var b = main.blockMax(at: target)
    if let optional, optional !== main {
      let o = optional.blockMax(at: target)
      b = (b.score + o.score, min(b.last, o.last))
    }
    return b
  }

  override func explain(_ out: inout [ScoreContribution]) {
    main.explain(&out)
    if let optional, optional !== main, optional.doc == doc { optional.explain(&out) }
  }
}

/// Matches nothing.
final class _EmptyScorer: _Scorer {
  override init() {
    super.init()
    doc = Self.end
  }
  override func next() -> UInt32 { Self.end }
  override func advance(_ target: UInt32) -> UInt32 { Self.end }
  override var maxScore: Double { 0 }
  override var cost: Int { 0 }
}
