import DossierAnalysis
import DossierSearch

#if canImport(Glibc)
  import Glibc
#endif

/// Chooses the passages of a hit to show: sentences of the body (cut at sentence ends within
/// blocks), ranked by how many distinct query words they contain, then by their matches, at
/// most `count`, shown in document order, each with its matches highlighted. A phrase of the
/// query is highlighted as one span.
///
///     let snippets = SnippetBuilder(query: query, engine: engine)   // once per search
///     for document in hits { snippets.snippets(for: document, count: 2) }
///
/// Cost: the query's words are analyzed once per search; per hit, one analysis of the body text
/// (with offsets, in the document's language), each token's term compared as bytes with the
/// query's few terms, and linear sweeps over the matches and sentences.
final class SnippetBuilder {
  static let maxPassage = 320

  let session: AnalysisSession
  let defaultLanguage: Language
  /// The query's words in order (a phrase's words too): each word's term variants as bytes.
  var words: [[[UInt8]]] = []
  /// Each phrase: the indices in `words` of its words, in order.
  var phrases: [[Int]] = []
  /// `byLength[n]`: (variant bytes, word index) of the variants n bytes long, for the lookup
  /// of a token's term without hashing it.
  var byLength: [[([UInt8], Int)]] = []

  init(query: Query, engine: SearchEngine) {
    session = AnalysisSession(engine.analyzer)
    defaultLanguage = engine.analyzer.defaultLanguage
    collect(query, languages: engine.languages)
    for (w, variants) in words.enumerated() {
      for v in variants {
        if byLength.count <= v.count { byLength += Array(repeating: [], count: v.count + 1 - byLength.count) }
        byLength[v.count].append((v, w))
      }
    }
  }

  func collect(_ query: Query, languages: [Language]) {
    switch query {
    case .term(let text, let field), .prefix(let text, let field):
      guard field == nil || field == .body || field == .heading || field == .title else { return }
      for w in session.queryTerms(text, languages: languages) {
        words.append(w.variants.map { Array($0.utf8) })
      }
    case .phrase(let text, let field, _):
      guard field == nil || field == .body || field == .heading || field == .title else { return }
      let ws = session.queryTerms(text, languages: languages)
      phrases.append(ws.indices.map { words.count + $0 })
      for w in ws { words.append(w.variants.map { Array($0.utf8) }) }
    case .and(let parts), .or(let parts):
      for p in parts { collect(p, languages: languages) }
    case .required(let p):
      collect(p, languages: languages)
    case .not, .date:
      return
    }
  }

  /// The query words (as a bit set over `words`, the first 64) that a term equals.
  @inline(__always)
  func matches(_ term: UnsafeRawBufferPointer) -> UInt64 {
    guard term.count < byLength.count else { return 0 }
    var mask: UInt64 = 0
    for (bytes, w) in byLength[term.count] where w < 64 {
      let equal = bytes.withUnsafeBytes { memcmp($0.baseAddress!, term.baseAddress!, term.count) == 0 }
      if equal { mask |= 1 << UInt64(w) }
    }
    return mask
  }

  func snippets(for document: Document, count: Int) -> [Snippet] {
    guard !words.isEmpty else { return [] }
    let utf8 = Array(document.bodyText.utf8)
    guard !utf8.isEmpty else { return [] }
    let language = document.metadata["lang"].flatMap(Language.init) ?? defaultLanguage
    var analyzed = AnalyzedText(recordsOffsets: true)
    utf8.withUnsafeBufferPointer { session.analyze($0, language: language, into: &analyzed) }
    let n = analyzed.count
    var masks = [UInt64](repeating: 0, count: n)
    analyzed.termBytes.withUnsafeBytes { bytes in
      for i in 0..<n {
        let r = analyzed.termRange(i)
        if r.isEmpty { continue }
        masks[i] = matches(UnsafeRawBufferPointer(rebasing: bytes[r]))
      }
    }
    // Highlights: phrase occurrences first, then single words.
    var spans: [(start: Int, end: Int, word: Int)] = []
    var covered = [Bool](repeating: false, count: n)
    for (p, phrase) in phrases.enumerated() where !phrase.isEmpty && phrase.allSatisfy({ $0 < 64 }) {
      var i = 0
      while i + phrase.count <= n {
        var ok = true
        for k in 0..<phrase.count
        where masks[i + k] & (1 << UInt64(phrase[k])) == 0
          || analyzed.positions[i + k] != analyzed.positions[i] + UInt32(k)
        {
          ok = false
          break
        }
        if ok {
          spans.append(
            (Int(analyzed.startOffsets[i]), Int(analyzed.endOffsets[i + phrase.count - 1]), 10_000 + p))
          for k in 0..<phrase.count { covered[i + k] = true }
          i += phrase.count
        } else {
          i += 1
        }
      }
    }
    for i in 0..<n where !covered[i] && masks[i] != 0 {
      spans.append(
        (Int(analyzed.startOffsets[i]), Int(analyzed.endOffsets[i]), masks[i].trailingZeroBitCount))
    }
    spans.sort { $0.start < $1.start }
    // Passages: sentences, and the matches inside each (both in order: one sweep).
    let passages = Self.sentences(utf8)
    var scored: [(range: Range<Int>, distinct: Int, matches: Int)] = []
    var first = 0
    for range in passages {
      while first < spans.count && spans[first].start < range.lowerBound { first += 1 }
      var distinct = Set<Int>()
      var matches = 0
      var j = first
      while j < spans.count && spans[j].start < range.upperBound {
        if spans[j].end <= range.upperBound {
          distinct.insert(spans[j].word)
          matches += 1
        }
        j += 1
      }
      if matches > 0 { scored.append((range, distinct.count, matches)) }
    }
    if scored.isEmpty {
      // No match in the body (a title match): the opening of the text.
      let end = Self.cut(utf8, from: 0, limit: Self.maxPassage)
      return [Self.make(utf8, 0..<end, spans: [])]
    }
    let chosen = scored.sorted {
      ($0.distinct, $0.matches, -$0.range.lowerBound) > ($1.distinct, $1.matches, -$1.range.lowerBound)
    }
    .prefix(count).sorted { $0.range.lowerBound < $1.range.lowerBound }
    return chosen.map { passage in
      var range = passage.range
      if range.count > Self.maxPassage {
        // Keep the part around the first match.
        let first = spans.first { $0.start >= range.lowerBound }?.start ?? range.lowerBound
        var lo = max(range.lowerBound, first - Self.maxPassage / 3)
        while lo > range.lowerBound && utf8[lo] & 0xC0 == 0x80 { lo -= 1 }
        let hi = Self.cut(utf8, from: lo, limit: Self.maxPassage)
        range = lo..<min(hi, range.upperBound)
      }
      return Self.make(
        utf8, range, spans: spans.filter { $0.start >= range.lowerBound && $0.end <= range.upperBound })
    }
  }

  /// Sentence ranges of the text: cut after `.`, `!`, `?` (and their CJK forms) followed by a
  /// space, and at blank lines (block boundaries).
  static func sentences(_ b: [UInt8]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var start = 0
    var i = 0
    while i < b.count {
      var end: Int? = nil
      if b[i] == 0x0A && i + 1 < b.count && b[i + 1] == 0x0A {
        end = i
      } else if (b[i] == 0x2E || b[i] == 0x21 || b[i] == 0x3F) && i + 1 < b.count && b[i + 1] == 0x20 {
        end = i + 1
      } else if b[i] == 0xE3 && i + 2 < b.count && b[i + 1] == 0x80 && b[i + 2] == 0x82 {
        end = i + 3  // 。
      }
      if let e = end {
        if e > start { out.append(start..<e) }
        start = e
        while start < b.count && (b[start] == 0x20 || b[start] == 0x0A) { start += 1 }
        i = start
        continue
      }
      i += 1
    }
    if start < b.count { out.append(start..<b.count) }
    return out
  }

  /// An end at most `limit` bytes after `from`, at a space when there is one, never inside a
  /// character.
  static func cut(_ b: [UInt8], from: Int, limit: Int) -> Int {
    var end = min(b.count, from + limit)
    if end < b.count {
      var k = end
      while k > from + limit / 2 && b[k] != 0x20 { k -= 1 }
      if b[k] == 0x20 { end = k }
      while end > from && end < b.count && b[end] & 0xC0 == 0x80 { end -= 1 }
    }
    return end
  }

  static func make(_ b: [UInt8], _ range: Range<Int>, spans: [(start: Int, end: Int, word: Int)]) -> Snippet {
    func chars(_ offset: Int) -> Int {
      var n = 0
      for k in 0..<offset where b[k] & 0xC0 != 0x80 { n += 1 }
      return n
    }
    let base = chars(range.lowerBound)
    var highlights: [Snippet.Highlight] = []
    var running = base
    var cursor = range.lowerBound
    for s in spans {
      for k in cursor..<s.start where b[k] & 0xC0 != 0x80 { running += 1 }
      let cs = running
      for k in s.start..<s.end where b[k] & 0xC0 != 0x80 { running += 1 }
      highlights.append(.init(start: s.start, end: s.end, characterStart: cs, characterEnd: running))
      cursor = s.end
    }
    return Snippet(
      text: String(decoding: b[range], as: UTF8.self), start: range.lowerBound, characterStart: base,
      highlights: highlights)
  }
}
