import DossierSearch

/// Chooses the passages of a hit to show: sentences of the body (cut at sentence ends within
/// blocks), ranked by how many distinct query words they contain, then by their matches, at
/// most `count`, shown in document order, each with its matches highlighted. A phrase of the
/// query is highlighted as one span.
///
/// Cost: one analysis of the body text per hit (with offsets), in the document's language.
enum SnippetBuilder {
  static let maxPassage = 320

  static func snippets(for document: Document, query: Query, engine: SearchEngine, count: Int) -> [Snippet] {
    let body = document.bodyText
    let utf8 = Array(body.utf8)
    guard !utf8.isEmpty else { return [] }
    let language = document.metadata["lang"].flatMap(Language.init) ?? engine.analyzer.defaultLanguage
    // The query's words (each: the set of its terms) and phrases (sequences of words).
    let session = AnalysisSession(engine.analyzer)
    var words: [Set<String>] = []
    var phrases: [[Set<String>]] = []
    collect(query, session: session, languages: engine.languages, words: &words, phrases: &phrases)
    guard !words.isEmpty || !phrases.isEmpty else { return [] }
    let tokens = session.analyze(body, language: language).tokens
    // Highlights: phrase occurrences first, then single words.
    var spans: [(start: Int, end: Int, word: Int)] = []
    var covered = Set<Int>()
    for (p, phrase) in phrases.enumerated() where !phrase.isEmpty {
      var i = 0
      while i + phrase.count <= tokens.count {
        var ok = true
        for k in 0..<phrase.count
        where !phrase[k].contains(tokens[i + k].term) || tokens[i + k].position != tokens[i].position + k {
          ok = false
          break
        }
        if ok {
          spans.append((tokens[i].startOffset, tokens[i + phrase.count - 1].endOffset, 10_000 + p))
          for k in 0..<phrase.count { covered.insert(i + k) }
          i += phrase.count
        } else {
          i += 1
        }
      }
    }
    for (i, t) in tokens.enumerated() where !covered.contains(i) {
      if let w = words.firstIndex(where: { $0.contains(t.term) }) {
        spans.append((t.startOffset, t.endOffset, w))
      }
    }
    spans.sort { $0.start < $1.start }
    // Passages: sentences.
    let passages = sentences(utf8)
    var scored: [(range: Range<Int>, distinct: Int, matches: Int)] = []
    for range in passages {
      let inside = spans.filter { $0.start >= range.lowerBound && $0.end <= range.upperBound }
      guard !inside.isEmpty else { continue }
      scored.append((range, Set(inside.map(\.word)).count, inside.count))
    }
    if scored.isEmpty {
      // No match in the body (a title match): the opening of the text.
      let end = cut(utf8, from: 0, limit: maxPassage)
      return [make(utf8, 0..<end, spans: [])]
    }
    let chosen = scored.sorted {
      ($0.distinct, $0.matches, -$0.range.lowerBound) > ($1.distinct, $1.matches, -$1.range.lowerBound)
    }
    .prefix(count).sorted { $0.range.lowerBound < $1.range.lowerBound }
    return chosen.map { passage in
      var range = passage.range
      if range.count > maxPassage {
        // Keep the part around the first match.
        let first = spans.first { $0.start >= range.lowerBound }?.start ?? range.lowerBound
        var lo = max(range.lowerBound, first - maxPassage / 3)
        while lo > range.lowerBound && utf8[lo] & 0xC0 == 0x80 { lo -= 1 }
        let hi = cut(utf8, from: lo, limit: maxPassage)
        range = lo..<min(hi, range.upperBound)
      }
      return make(
        utf8, range, spans: spans.filter { $0.start >= range.lowerBound && $0.end <= range.upperBound })
    }
  }

  static func collect(
    _ query: Query, session: AnalysisSession, languages: [Language], words: inout [Set<String>],
    phrases: inout [[Set<String>]]
  ) {
    switch query {
    case .term(let text, let field), .prefix(let text, let field):
      guard field == nil || field == .body || field == .heading || field == .title else { return }
      for w in session.queryTerms(text, languages: languages) { words.append(Set(w.variants)) }
    case .phrase(let text, let field, _):
      guard field == nil || field == .body || field == .heading || field == .title else { return }
      let ws = session.queryTerms(text, languages: languages)
      phrases.append(ws.map { Set($0.variants) })
      for w in ws { words.append(Set(w.variants)) }
    case .and(let parts), .or(let parts):
      for p in parts { collect(p, session: session, languages: languages, words: &words, phrases: &phrases) }
    case .required(let p):
      collect(p, session: session, languages: languages, words: &words, phrases: &phrases)
    case .not, .date:
      return
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
