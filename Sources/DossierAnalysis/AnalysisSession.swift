import Foundation

/// The working state of one analyzer on one thread: its stemmers, stopword sets and term
/// caches. Create one per thread (it is not `Sendable`); reuse it for every text.
///
///     let session = AnalysisSession(.standard)
///     var out = AnalyzedText()
///     session.analyze(Array("Cámaras de vigilancia".utf8), language: .spanish, into: &out)
///     // out.term(0) == "camar", out.term(1) == "vigilanci"; "de" was a stopword at position 1
///
/// Cost: O(n) in the text. ASCII words that the session has seen before cost one hash lookup;
/// new words are folded, looked up among the stopwords and stemmed once, then cached.
public final class AnalysisSession {
  public let analyzer: Analyzer
  var pipelines: [Language: _Pipeline] = [:]
  let tables = _UnicodeTables.shared
  /// Reused by `queryTerms` (a query's words are analyzed one call at a time: one set of
  /// arrays for all of them instead of six allocations per word).
  var scratch = AnalyzedText()
  /// The size of each language's term cache (2^n slots, half of them used before it starts
  /// again); tests make it tiny to exercise the resets.
  package var termCacheSlotsLog2 = 16
  /// Where `analyze` gathers its tokens before they go to the caller's text, kept between calls.
  var sink = _TokenSink()

  public init(_ analyzer: Analyzer) {
    self.analyzer = analyzer
  }

  deinit { sink.deallocate() }

  /// Analyzes `text` in `language`, appending to `out` and continuing its positions.
  public func analyze(_ text: UnsafeBufferPointer<UInt8>, language: Language, into out: inout AnalyzedText) {
    guard let base = text.baseAddress, text.count > 0 else { return }
    // The pipeline moves into a local for the loop (and back after), so that its caches are
    // accessed without the runtime exclusivity checks a class's stored properties need.
    var pipeline =
      pipelines.removeValue(forKey: language)
      ?? _Pipeline(analyzer, language, cacheSlotsLog2: termCacheSlotsLog2)
    defer { pipelines[language] = pipeline }
    // The sink too moves into a local (its buffers may grow: it always moves back).
    var sink = self.sink
    sink.begin(for: out)
    defer {
      sink.flush(into: &out)
      self.sink = sink
    }
    var tokenizer = _WordTokenizer(text, emoji: analyzer.emojiTokens)
    var position = out.nextPosition
    let bigrams = analyzer.cjk == .bigrams
    // A run of adjacent CJK tokens waiting to be bigrammed: their scalars and offsets.
    var run = _CJKRun()
    while let token = tokenizer.next() {
      if token.kind.isCJK {
        if bigrams {
          if !run.isEmpty && run.end != token.start {
            position = run.flush(into: &sink, position: position, tables)
          }
          run.add(token, base, tables, nfkc: analyzer.compatibilityNormalization)
          continue
        }
        pipeline.cjkUnigram(token, base, position: position, into: &sink)
        position += 1
        continue
      }
      if !run.isEmpty { position = run.flush(into: &sink, position: position, tables) }
      let length = token.end - token.start
      if length > analyzer.maximumTokenLength {
        if analyzer.profile == .luceneEnglish {
          // Lucene splits an over-long token into pieces of the maximum length.
          var start = token.start
          while start < token.end {
            var end = min(start + analyzer.maximumTokenLength, token.end)
            while end < token.end && base[end] & 0xC0 == 0x80 { end -= 1 }
            let piece = _RawToken(start: start, end: end, kind: token.kind, isASCII: token.isASCII)
            pipeline.add(piece, base, position: position, into: &sink)
            position += 1
            start = end
          }
        } else {
          position += 1
        }
        continue
      }
      pipeline.add(token, base, position: position, into: &sink)
      position += 1
    }
    if !run.isEmpty { position = run.flush(into: &sink, position: position, tables) }
    out.nextPosition = position
  }

  /// Analyzes a string in `language` (the analyzer's default when nil).
  public func analyze(_ text: String, language: Language? = nil) -> AnalyzedText {
    var out = AnalyzedText()
    var text = text
    text.withUTF8 { analyze($0, language: language ?? analyzer.defaultLanguage, into: &out) }
    return out
  }

  /// The terms a query word stands for in each of `languages`, one entry per word position.
  ///
  /// An index holds documents in several languages, each analyzed in its own; a query is
  /// analyzed once per language present and each word matches any of its variants. A word
  /// that is a stopword in every language has no entry.
  ///
  ///     session.queryTerms("cámaras vigilancia", languages: [.english, .spanish])
  ///     // [camara, camar] at 0, [vigilancia, vigilanci] at 1
  ///
  /// Cost: one analysis of the query per language.
  public func queryTerms(_ text: String, languages: [Language]) -> [QueryTerm] {
    if languages.count <= 1 {
      // One language: its terms in order, grouped by position, none a stopword elsewhere.
      var out = scratch
      scratch = AnalyzedText()  // so that `out` is the arrays' only owner
      defer { scratch = out }
      out.removeAll()
      var text = text
      text.withUTF8 { analyze($0, language: languages.first ?? analyzer.defaultLanguage, into: &out) }
      var terms: [QueryTerm] = []
      for i in 0..<out.count {
        let term = out.term(i)
        let position = Int(out.positions[i])
        if let last = terms.last, last.position == position {
          if !last.variants.contains(term) { terms[terms.count - 1].variants.append(term) }
        } else {
          terms.append(
            QueryTerm(
              position: position, startOffset: Int(out.startOffsets[i]), endOffset: Int(out.endOffsets[i]),
              variants: [term], stopwordIn: []))
        }
      }
      return terms
    }
    var byPosition: [UInt32: QueryTerm] = [:]
    var produced: [UInt32: Set<Language>] = [:]
    let languages = languages.isEmpty ? [analyzer.defaultLanguage] : languages
    for language in languages {
      let out = analyze(text, language: language)
      for i in 0..<out.count {
        let term = out.term(i)
        let position = out.positions[i]
        var entry =
          byPosition[position]
          ?? QueryTerm(
            position: Int(position), startOffset: Int(out.startOffsets[i]), endOffset: Int(out.endOffsets[i]),
            variants: [], stopwordIn: [])
        if !entry.variants.contains(term) { entry.variants.append(term) }
        byPosition[position] = entry
        produced[position, default: []].insert(language)
      }
    }
    return byPosition.keys.sorted().map { position in
      var entry = byPosition[position]!
      entry.stopwordIn = languages.filter { !produced[position]!.contains($0) }
      return entry
    }
  }
}

/// A query word and the terms it stands for across the index's languages.
public struct QueryTerm: Sendable, Hashable {
  public var position: Int
  /// UTF-8 byte offsets of the word in the query text.
  public var startOffset: Int
  public var endOffset: Int
  /// The distinct terms, in the order of the languages asked for.
  public var variants: [String]
  /// The languages in which the word is a stopword (it has no term there). The search engine
  /// leaves such a word out of the query: documents in those languages cannot contain it.
  public var stopwordIn: [Language]
}

/// The analysis chain of one language: normalization, stopwords, stemmer, and their cache.
struct _Pipeline {
  let language: Language
  let caseFolding: Bool
  let nfkc: Bool
  let diacritics: Bool
  let possessives: Bool
  let lucenePorter: Bool
  let stopwords: Set<[UInt8]>
  let stemmer: SnowballStemmer?
  var cache: _TermCache
  let tables = _UnicodeTables.shared
  var folded: [UInt8] = []
  var stemmed: [UInt8] = []
  var scalars: [UInt32] = []
  let lower: [UInt8] = (0..<256).map { (b: Int) -> UInt8 in
    let byte = UInt8(b)
    return byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte
  }

  init(_ analyzer: Analyzer, _ language: Language, cacheSlotsLog2: Int = 16) {
    cache = _TermCache(slotsLog2: cacheSlotsLog2)
    self.language = language
    caseFolding = analyzer.caseFolding
    nfkc = analyzer.compatibilityNormalization
    diacritics = analyzer.diacriticFolding
    possessives = analyzer.possessives
    lucenePorter = analyzer.stemming == .lucenePorter
    switch analyzer.stopwords {
    case .none: stopwords = []
    case .perLanguage: stopwords = Set(Stopwords.list(for: language).map { Array($0.utf8) })
    case .list(let words): stopwords = Set(words.map { Array($0.utf8) })
    }
    switch analyzer.stemming {
    case .none: stemmer = nil
    case .perLanguage: stemmer = language.snowballAlgorithm.flatMap { SnowballStemmer(algorithm: $0) }
    case .algorithm(let name): stemmer = SnowballStemmer(algorithm: name)
    case .lucenePorter: stemmer = SnowballStemmer(algorithm: "porter")
    }
  }

  /// Analyzes one word or number token and appends its term unless it is a stopword.
  @inline(__always)
  mutating func add(
    _ token: _RawToken, _ base: UnsafePointer<UInt8>, position: UInt32, into out: inout _TokenSink
  ) {
    let p = base + token.start
    let count = token.end - token.start
    let hash = _TermCache.hash(p, count)
    let found = cache.find(p, count, hash: hash)
    if found >= 0 {
      let entry = cache.entries[found]
      if entry.valueLength == _TermCache.stopword {
        out.stopwords += 1
        return
      }
      cache.arena.withUnsafeBufferPointer { a in
        out.append(
          UnsafeBufferPointer(rebasing: a[Int(entry.valueStart)..<Int(entry.valueStart + entry.valueLength)]),
          position: position, start: token.start, end: token.end, kind: token.kind, entry: found,
          epoch: cache.epoch)
      }
      return
    }
    let term = process(UnsafeBufferPointer(start: p, count: count), isASCII: token.isASCII)
    let inserted = cache.insert(p, count, hash: hash, value: term)
    guard let term else {
      out.stopwords += 1
      return
    }
    term.withUnsafeBufferPointer {
      out.append(
        $0, position: position, start: token.start, end: token.end, kind: token.kind, entry: inserted,
        epoch: cache.epoch)
    }
  }

  /// The term for a word, or nil for a stopword. The slow path, once per distinct word.
  mutating func process(_ word: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> [UInt8]? {
    folded.removeAll(keepingCapacity: true)
    if isASCII {
      for b in word { folded.append(lower[Int(b)]) }
    } else {
      fold(word)
    }
    if possessives { dropPossessive() }
    if stopwords.contains(folded) { return nil }
    var term = folded
    if let stemmer, !lucenePorter || folded.count > 2 {
      stemmed.removeAll(keepingCapacity: true)
      folded.withUnsafeBufferPointer { stemmer.stem($0, into: &stemmed) }
      if lucenePorter { _LucenePorter.applyDepartures(&stemmed) }
      term = stemmed
    }
    if diacritics && !isASCII {
      scalars.removeAll(keepingCapacity: true)
      term.withUnsafeBufferPointer { b in
        var j = 0
        while j < b.count {
          let (s, l) = _decodeScalar(b.baseAddress!, j, b.count)
          tables.foldDiacritics(s) { scalars.append($0) }
          j += l
        }
      }
      term.removeAll(keepingCapacity: true)
      for s in scalars { _appendUTF8(s, to: &term) }
    }
    return term
  }

  /// Case-folds (and when needed NFKC-normalizes) a non-ASCII word into `folded`.
  mutating func fold(_ word: UnsafeBufferPointer<UInt8>) {
    scalars.removeAll(keepingCapacity: true)
    var needsNFKC = false
    var j = 0
    while j < word.count {
      let (s, l) = _decodeScalar(word.baseAddress!, j, word.count)
      if nfkc && tables.nfkcMaybeChanges(s) { needsNFKC = true }
      scalars.append(s)
      j += l
    }
    if needsNFKC {
      let normalized = _nfkc(String(decoding: word, as: UTF8.self))
      scalars = normalized.unicodeScalars.map(\.value)
    }
    for s in scalars {
      // With normalization on, invisible characters inside a word (soft hyphen, zero-width
      // joiners, variation selectors) do not make a different term.
      if nfkc && isInvisible(s) { continue }
      if caseFolding {
        tables.caseFold(s) { _appendUTF8($0, to: &folded) }
      } else {
        tables.lowercase(s) { _appendUTF8($0, to: &folded) }
      }
    }
  }

  @inline(__always)
  func isInvisible(_ s: UInt32) -> Bool {
    if s == 0x200C || (s >= 0xFE00 && s <= 0xFE0F) || (s >= 0xE0100 && s <= 0xE01EF) { return true }
    let cls = tables.wordClass(of: s)
    return cls == .format || cls == .zwj
  }

  /// Drops a trailing `'s`, `’s` or `＇s` (Lucene's English possessive filter).
  @inline(__always)
  mutating func dropPossessive() {
    let n = folded.count
    guard n >= 2, folded[n - 1] == 0x73 else { return }
    if folded[n - 2] == 0x27 {
      folded.removeLast(2)
    } else if n >= 4, folded[n - 4] == 0xE2, folded[n - 3] == 0x80, folded[n - 2] == 0x99 {
      folded.removeLast(4)
    } else if n >= 4, folded[n - 4] == 0xEF, folded[n - 3] == 0xBC, folded[n - 2] == 0x87 {
      folded.removeLast(4)
    }
  }

  /// Appends a CJK token whole (unigram mode): folded, never stemmed.
  mutating func cjkUnigram(
    _ token: _RawToken, _ base: UnsafePointer<UInt8>, position: UInt32, into out: inout _TokenSink
  ) {
    folded.removeAll(keepingCapacity: true)
    fold(UnsafeBufferPointer(start: base + token.start, count: token.end - token.start))
    folded.withUnsafeBufferPointer {
      out.append($0, position: position, start: token.start, end: token.end, kind: token.kind)
    }
  }
}

/// Adjacent CJK characters collected for bigramming.
struct _CJKRun {
  var scalars: [UInt32] = []
  var starts: [Int] = []
  var ends: [Int] = []
  var end = 0
  var term: [UInt8] = []

  var isEmpty: Bool { scalars.isEmpty }

  /// Adds each character of a CJK token. A character with its marks is NFKC-normalized when
  /// needed, so that half-width Katakana (`ﾃﾞ`) becomes its full-width form (`デ`).
  mutating func add(_ token: _RawToken, _ base: UnsafePointer<UInt8>, _ tables: _UnicodeTables, nfkc: Bool) {
    var j = token.start
    while j < token.end {
      let (s, l) = _decodeScalar(base, j, token.end)
      var k = j + l
      var changes = nfkc && tables.nfkcMaybeChanges(s)
      while k < token.end {
        let (m, ml) = _decodeScalar(base, k, token.end)
        let cls = tables.wordClass(of: m)
        guard cls == .extend || cls == .format || cls == .zwj else { break }
        if nfkc && tables.nfkcMaybeChanges(m) { changes = true }
        k += ml
      }
      var scalar = s
      if changes {
        let cluster = String(decoding: UnsafeBufferPointer(start: base + j, count: k - j), as: UTF8.self)
        if let first = _nfkc(cluster).unicodeScalars.first {
          scalar = first.value
        }
      }
      scalars.append(scalar)
      starts.append(j)
      ends.append(k)
      j = k
    }
    end = token.end
  }

  /// Emits the bigrams of the run (a lone character as a unigram) and empties it.
  mutating func flush(into out: inout _TokenSink, position: UInt32, _ tables: _UnicodeTables) -> UInt32 {
    var position = position
    if scalars.count == 1 {
      emit(0, 1, into: &out, position: position, tables)
      position += 1
    } else {
      for k in 0..<(scalars.count - 1) {
        emit(k, 2, into: &out, position: position, tables)
        position += 1
      }
    }
    scalars.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    return position
  }

  mutating func emit(
    _ k: Int, _ width: Int, into out: inout _TokenSink, position: UInt32, _ tables: _UnicodeTables
  ) {
    term.removeAll(keepingCapacity: true)
    for s in scalars[k..<(k + width)] { tables.caseFold(s) { _appendUTF8($0, to: &term) } }
    term.withUnsafeBufferPointer {
      out.append($0, position: position, start: starts[k], end: ends[k + width - 1], kind: .cjkBigram)
    }
  }
}

/// NFKC through Foundation, as compatibility decomposition followed by canonical composition:
/// on Linux, `precomposedStringWithCompatibilityMapping` alone leaves some sequences
/// decomposed (half-width `ﾃﾞ` came back as `テ` plus a combining mark, not `デ`).
/// Superlinear on long strings in Foundation, so the analyzer calls it per word, and only for
/// words with a character whose NFKC quick check is not Yes.
func _nfkc(_ text: String) -> String {
  text.decomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
}
