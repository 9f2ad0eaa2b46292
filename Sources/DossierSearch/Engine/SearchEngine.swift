import DossierAnalysis
import DossierIndex
import Foundation
import Synchronization

/// Evaluates queries on a snapshot of an index: plans the query tree against each segment,
/// scores with BM25F, keeps the top hits. The core under the library's `Searcher`.
///
///     let engine = SearchEngine(snapshot: snapshot, analyzer: .standard, k1: 0.9, b: 0.4)
///     let result = engine.search(Query(parsing: "facial recognition Ecuador"), limit: 10)
///
/// Scoring. A query word stands for its terms in every language of the index (see
/// `AnalysisSession.queryTerms`), searched in the default fields (title, headings, body) or
/// the one it names. Its score is BM25F: the field frequencies, each divided by its field's
/// length normalization (1 − b + b · len / avglen) and multiplied by the field's weight, are
/// summed into tf~, and the word scores idf · tf~ / (k1 + tf~) with Lucene's idf over the
/// documents that have the field. A phrase scores the same way with its frequency and the sum
/// of its words' idfs. Clauses add up. Ties are broken by document id.
///
/// Cost: O(postings of the query's terms) for the exhaustive evaluation; one `SegmentReader`
/// lookup per term and segment to plan.
package final class SearchEngine: @unchecked Sendable {
  package let snapshot: IndexSnapshot
  package let analyzer: Analyzer
  /// The scoring parameters a search uses unless it is given others.
  package let scoring: Scoring
  /// The languages documents were analyzed in (the `lang` field's values).
  package let languages: [Language]
  /// Per segment, doc -> external id.
  let ids: [[String]]
  /// Analysis sessions (stemmers, caches) kept between queries; one per concurrent search.
  let sessions = Mutex<[_SessionBox]>([])

  final class _SessionBox: @unchecked Sendable {
    let session: AnalysisSession
    init(_ session: AnalysisSession) { self.session = session }
  }
  let schema = FieldSchema.standard
  static let defaultFields: [FieldNumber] = [0, 1, 2]
  static let fieldNames: [FieldNumber: String] = [0: "title", 1: "headings", 2: "body", 3: "author"]

  package init(
    snapshot: IndexSnapshot, analyzer: Analyzer, k1: Double, b: Double, fieldWeights: [FieldNumber: Double]
  ) {
    self.snapshot = snapshot
    self.analyzer = analyzer
    self.scoring = Scoring(k1: k1, b: b, fieldWeights: fieldWeights)
    var languages = Set<Language>()
    var ids: [[String]] = []
    for segment in snapshot.segments {
      var terms = segment.terms(field: 6)
      while terms.next() {
        if let l = Language(String(decoding: terms.term, as: UTF8.self)) { languages.insert(l) }
      }
      var column = [String](repeating: "", count: Int(segment.docCount))
      var idTerms = segment.terms(field: 4)
      while idTerms.next() {
        let id = String(decoding: idTerms.term, as: UTF8.self)
        var c = segment.postings(field: 4, info: idTerms.info)
        while c.doc != PostingsCursor.noMoreDocs {
          column[Int(c.doc)] = id
          c.next()
        }
      }
      ids.append(column)
    }
    if languages.isEmpty { languages.insert(analyzer.defaultLanguage) }
    self.languages = analyzer.profile == .luceneEnglish ? [analyzer.defaultLanguage] : languages.sorted()
    self.ids = ids
    fieldStatistics = Self.statistics(snapshot)
  }

  /// BM25's parameters and the weights of the default fields: per search, so that searches
  /// with different options can run at once on one engine.
  package struct Scoring: Sendable {
    package var k1: Double
    package var b: Double
    /// Weights of the default fields.
    package var fieldWeights: [FieldNumber: Double]

    package init(k1: Double, b: Double, fieldWeights: [FieldNumber: Double]) {
      self.k1 = k1
      self.b = b
      self.fieldWeights = fieldWeights
    }
  }

  /// What one search carries through planning and scoring: its parameters, its analysis
  /// session, and the term records looked up so far (planning needs each term's document
  /// frequency, the scorers its postings: one dictionary lookup serves both).
  final class _QueryContext {
    let scoring: Scoring
    let session: AnalysisSession
    let defaultOperator: QueryOperator
    let segments: [SegmentReader]
    private var terms: [TermKey: TermInfo?] = [:]

    struct TermKey: Hashable {
      var segment: Int
      var field: FieldNumber
      var term: [UInt8]
    }

    init(
      scoring: Scoring, session: AnalysisSession, defaultOperator: QueryOperator, segments: [SegmentReader]
    ) {
      self.scoring = scoring
      self.session = session
      self.defaultOperator = defaultOperator
      self.segments = segments
    }

    /// The dictionary record of `term` in `field` of segment `segment`, looked up once.
    func termInfo(segment: Int, field: FieldNumber, term: [UInt8]) -> TermInfo? {
      // A field without terms in the segment (say, no document has headings) needs no lookup.
      if Int(field) < segments[segment].info.fieldStats.count,
        segments[segment].info.fieldStats[Int(field)].termCount == 0
      {
        return nil
      }
      let key = TermKey(segment: segment, field: field, term: term)
      if let known = terms[key] { return known }
      let info = segments[segment].termInfo(field: field, term: term)
      terms[key] = info
      return info
    }

    /// A cursor over `term`'s postings in `field` of segment `segment`, or nil when absent.
    func postings(segment: Int, field: FieldNumber, term: [UInt8]) -> PostingsCursor? {
      termInfo(segment: segment, field: field, term: term).map {
        segments[segment].postings(field: field, info: $0)
      }
    }
  }

  /// One hit: where it is and its score.
  package struct Hit: Sendable {
    package var segment: Int
    package var doc: UInt32
    package var score: Double
    package var id: String
    package var explanation: [ScoreContribution]
  }

  package struct Result: Sendable {
    package var total: Int
    package var hits: [Hit]
  }

  // MARK: Statistics

  struct FieldStatistics {
    var docCount: Double
    var averageLength: Double
  }

  static func statistics(_ snapshot: IndexSnapshot) -> [FieldNumber: FieldStatistics] {
    var out: [FieldNumber: FieldStatistics] = [:]
    for f in [FieldNumber(0), 1, 2, 3] {
      var docs = 0.0
      var tokens = 0.0
      for s in snapshot.segments {
        let st = s.stats(field: f)
        docs += Double(st.docCount)
        tokens += Double(st.totalTokens)
      }
      out[f] = FieldStatistics(docCount: docs, averageLength: docs > 0 ? tokens / docs : 0)
    }
    return out
  }

  /// Per text field: documents having it and their average length, over all segments
  /// (deleted documents count until merged away, as in Lucene).
  let fieldStatistics: [FieldNumber: FieldStatistics]

  /// Documents with any of `fields` (the N of idf).
  func docCount(_ fields: [FieldNumber]) -> Double {
    fields.map { fieldStatistics[$0]?.docCount ?? 0 }.max() ?? 0
  }

  /// Document frequency of a word: per field, the sum over segments of its variants' dfs
  /// (capped at the field's documents); the largest over the fields.
  func docFreq(_ variants: [[UInt8]], _ fields: [FieldNumber], _ context: _QueryContext) -> Double {
    var best = 0.0
    for f in fields {
      var df = 0.0
      for s in snapshot.segments.indices {
        for v in variants { df += Double(context.termInfo(segment: s, field: f, term: v)?.docFreq ?? 0) }
      }
      best = max(best, min(df, fieldStatistics[f]?.docCount ?? df))
    }
    return best
  }

  // MARK: Planning

  /// The fields a leaf searches.
  func textFields(_ field: QueryField?, _ scoring: Scoring) -> [FieldNumber]? {
    switch field {
    case nil: return Self.defaultFields.filter { (scoring.fieldWeights[$0] ?? 0) > 0 }
    case .title: return [0]
    case .heading: return [1]
    case .body: return [2]
    case .author: return [3]
    default: return nil
    }
  }

  static func keywordField(_ field: QueryField) -> FieldNumber? {
    switch field {
    case .id: 4
    case .path: 5
    case .lang: 6
    case .type: 7
    default: nil
    }
  }

  /// A query node, resolved once against the whole index (analysis, statistics), then turned
  /// into a scorer per segment.
  indirect enum Plan {
    case word(label: String, variants: [[UInt8]], fields: [FieldNumber], idf: Double)
    case phrase(
      label: String, words: [[[UInt8]]], offsets: [Int], fields: [FieldNumber], slop: Int, idf: Double)
    case keyword(field: FieldNumber, values: [[UInt8]], prefix: Bool)
    case dateRange(ClosedRange<Int64>)
    case all([Plan])
    case any([Plan])
    case boolean(required: [Plan], optional: [Plan], excluded: [Plan])
    case nothing
  }

  func plan(_ query: Query, _ context: _QueryContext) -> Plan {
    let session = context.session
    switch query {
    case .term(let text, let field):
      if let field, let k = Self.keywordField(field) {
        return .keyword(field: k, values: [Array(text.utf8)], prefix: false)
      }
      guard let fields = textFields(field, context.scoring) else { return .nothing }
      // A word that is a stopword in some language of the index is left out: the documents of
      // that language cannot contain it, so requiring it would exclude them all.
      let words = session.queryTerms(text, languages: languages).filter { $0.stopwordIn.isEmpty }
      let plans: [Plan] = words.map { word in
        let variants = word.variants.map { Array($0.utf8) }
        let n = docCount(fields)
        let idf = _BM25.idf(docCount: n, docFreq: docFreq(variants, fields, context))
        return .word(
          label: text.count < 40 ? String(text) : String(text.prefix(40)), variants: variants, fields: fields,
          idf: idf)
      }
      if plans.isEmpty { return .nothing }
      if plans.count == 1 { return plans[0] }
      return context.defaultOperator == .and ? .all(plans) : .any(plans)
    // (`.all` and `.any` parts are words of one leaf, never `.nothing`.)
    case .prefix(let text, let field):
      if let field, let k = Self.keywordField(field) {
        return .keyword(field: k, values: [Array(text.utf8)], prefix: true)
      }
      guard let fields = textFields(field, context.scoring) else { return .nothing }
      // Expand against the index's terms: the prefix is folded (not stemmed) like a word.
      var folding = analyzer
      folding.stemming = .none
      folding.stopwords = .none
      guard let folded = folding.analyze(text, language: analyzer.defaultLanguage).first?.term else {
        return .nothing
      }
      var expansions = Set<[UInt8]>()
      for s in snapshot.segments {
        for f in fields {
          var it = s.terms(field: f, prefix: Array(folded.utf8))
          while it.next(), expansions.count < 256 { expansions.insert(Array(it.term)) }
        }
      }
      if expansions.isEmpty { return .nothing }
      let variants = expansions.sorted { $0.lexicographicallyPrecedes($1) }
      let idf = _BM25.idf(docCount: docCount(fields), docFreq: docFreq(variants, fields, context))
      return .word(label: text + "*", variants: variants, fields: fields, idf: idf)
    case .phrase(let text, let field, let slop):
      guard let fields = textFields(field, context.scoring) else {
        if let field, let k = Self.keywordField(field) {
          return .keyword(field: k, values: [Array(text.utf8)], prefix: false)
        }
        return .nothing
      }
      // Stopwords of any index language are left out; the others keep their places.
      let words = session.queryTerms(text, languages: languages).filter { $0.stopwordIn.isEmpty }
      guard !words.isEmpty else { return .nothing }
      if words.count == 1 {
        return plan(.term(text, field: field), context)
      }
      let variants = words.map { $0.variants.map { Array($0.utf8) } }
      let first = words[0].position
      let n = docCount(fields)
      let idf = variants.reduce(0) { $0 + _BM25.idf(docCount: n, docFreq: docFreq($1, fields, context)) }
      return .phrase(
        label: "\"\(text)\"", words: variants, offsets: words.map { $0.position - first }, fields: fields,
        slop: slop,
        idf: idf)
    case .date(let from, let through):
      let lo = from.map { DayNumber.days(year: $0.year, month: $0.month, day: $0.day) } ?? Int64.min
      let hi = through.map { DayNumber.days(year: $0.year, month: $0.month, day: $0.day) } ?? Int64.max
      return .dateRange(lo...hi)
    case .and(let parts):
      return booleanPlan(parts, conjunction: true, context)
    case .or(let parts):
      return booleanPlan(parts, conjunction: false, context)
    case .not(let part):
      return .boolean(
        required: [], optional: [], excluded: [plan(part, context)]
      )
    case .required(let part):
      return .boolean(
        required: [plan(part, context)], optional: [], excluded: []
      )
    }
  }

  func booleanPlan(_ parts: [Query], conjunction: Bool, _ context: _QueryContext) -> Plan {
    var required: [Plan] = []
    var optional: [Plan] = []
    var excluded: [Plan] = []
    for part in parts {
      switch part {
      case .not(let inner): excluded.append(plan(inner, context))
      case .required(let inner):
        required.append(plan(inner, context))
      default:
        if conjunction {
          required.append(plan(part, context))
        } else {
          optional.append(plan(part, context))
        }
      }
    }
    // A part that stands for nothing (a word that is only stopwords) is dropped, as Lucene's
    // query parser drops stopword clauses: it neither requires nor excludes anything.
    func kept(_ plans: [Plan]) -> [Plan] { plans.filter { if case .nothing = $0 { false } else { true } } }
    return .boolean(required: kept(required), optional: kept(optional), excluded: kept(excluded))
  }

  // MARK: Scorers

  func scorer(_ plan: Plan, segment index: Int, _ context: _QueryContext) -> _Scorer {
    let segment = snapshot.segments[index]
    let bm25 = _BM25(k1: context.scoring.k1, b: context.scoring.b)
    let fieldWeights = context.scoring.fieldWeights
    switch plan {
    case .nothing:
      return _EmptyScorer()
    case .word(let label, let variants, let fields, let idf):
      var inputs: [_FieldInput] = []
      for f in fields {
        let cursors = variants.compactMap { context.postings(segment: index, field: f, term: $0) }
        guard !cursors.isEmpty else { continue }
        inputs.append(
          _FieldInput(
            field: f, name: Self.fieldNames[f] ?? "?", weight: fieldWeights[f] ?? 1,
            averageLength: fieldStatistics[f]?.averageLength ?? 1, lengths: segment.norms(field: f),
            cursors: cursors))
      }
      if inputs.isEmpty { return _EmptyScorer() }
      if inputs.count == 1 && inputs[0].cursors.count == 1 {
        return _SingleTermScorer(input: inputs[0], idf: idf, bm25: bm25, label: label)
      }
      return _TermScorer(inputs: inputs, idf: idf, bm25: bm25, label: label)
    case .phrase(let label, let words, let offsets, let fields, let slop, let idf):
      var phrases: [_PhraseScorer.FieldPhrase] = []
      for f in fields {
        let cursors = words.map { variants in
          variants.compactMap { context.postings(segment: index, field: f, term: $0) }
        }
        guard cursors.allSatisfy({ !$0.isEmpty }) else { continue }
        phrases.append(
          _PhraseScorer.FieldPhrase(
            field: f, name: Self.fieldNames[f] ?? "?", weight: fieldWeights[f] ?? 1,
            averageLength: fieldStatistics[f]?.averageLength ?? 1, lengths: segment.norms(field: f),
            words: cursors,
            offsets: offsets))
      }
      if phrases.isEmpty { return _EmptyScorer() }
      return _PhraseScorer(fields: phrases, slop: slop, idf: idf, bm25: bm25, label: label)
    case .keyword(let field, let values, let prefix):
      var docs: [UInt32] = []
      for v in values {
        if prefix {
          var it = segment.terms(field: field, prefix: v)
          while it.next() {
            var c = segment.postings(field: field, info: it.info)
            while c.doc != PostingsCursor.noMoreDocs {
              docs.append(c.doc)
              c.next()
            }
          }
        } else {
          docs += segment.keywordDocs(field: field, value: v)
        }
      }
      return _ListScorer(Array(Set(docs)).sorted())
    case .dateRange(let range):
      return _ListScorer(segment.docs(field: 8, in: range).sorted())
    case .all(let parts):
      return _ConjunctionScorer(parts.map { scorer($0, segment: index, context) })
    case .any(let parts):
      return _DisjunctionScorer(parts.map { scorer($0, segment: index, context) })
    case .boolean(let required, let optional, let excluded):
      let req = required.map { scorer($0, segment: index, context) }
      let opt = optional.map { scorer($0, segment: index, context) }
      let exc = excluded.map { scorer($0, segment: index, context) }
      let optScorer: _Scorer? = opt.isEmpty ? nil : (opt.count == 1 ? opt[0] : _DisjunctionScorer(opt))
      let excScorer: _Scorer? = exc.isEmpty ? nil : (exc.count == 1 ? exc[0] : _DisjunctionScorer(exc))
      let main: _Scorer
      if !req.isEmpty {
        main = req.count == 1 ? req[0] : _ConjunctionScorer(req)
      } else if let optScorer {
        main = optScorer
      } else {
        // Only exclusions: they exclude from nothing.
        return _EmptyScorer()
      }
      if excScorer == nil && (optScorer == nil || optScorer === main) { return main }
      return _BooleanScorer(main: main, optional: optScorer, excluded: excScorer)
    }
  }

  // MARK: Search

  /// The top `offset + limit` hits of `query` (returning those after `offset`), and the total
  /// number of matching documents. Deleted documents never match. `explain` fills each hit's
  /// per-clause contributions.
  package func search(
    _ query: Query, limit: Int, offset: Int = 0, defaultOperator: QueryOperator = .or, explain: Bool = false,
    exactTotal: Bool = true, scoring: Scoring? = nil
  ) -> Result {
    let box = sessions.withLock { $0.popLast() } ?? _SessionBox(AnalysisSession(analyzer))
    let context = _QueryContext(
      scoring: scoring ?? self.scoring, session: box.session, defaultOperator: defaultOperator,
      segments: snapshot.segments)
    let plan = plan(query.normalized, context)
    sessions.withLock { $0.append(box) }
    let k = max(0, limit) + max(0, offset)
    if !exactTotal && !explain, k > 0, let clauses = Self.disjunction(plan) {
      return maxScoreSearch(clauses, k: k, offset: offset, context)
    }
    var heap = _TopHits(capacity: k, ids: ids)
    var total = 0
    for (index, segment) in snapshot.segments.enumerated() {
      let s = scorer(plan, segment: index, context)
      let hasDeletions = segment.liveDocCount < segment.docCount
      if !explain, let pair = s as? _ConjunctionScorer, let (a, b) = pair.singlePair {
        total += pairTopK(pair, a, b, segment: index, heap: &heap, exactTotal: exactTotal)
        continue
      }
      if !explain, let single = s as? _SingleTermScorer {
        total += singleTopK(single, segment: index, heap: &heap, exactTotal: exactTotal)
        continue
      }
      var doc = s.doc
      // The block-max window `windowStart...windowLast` and its bound (asked again only when
      // `doc` leaves it: a bound from the window's start holds for every later doc in it).
      var windowStart: UInt32 = 1
      var windowLast: UInt32 = 0
      var windowBound = 0.0
      while doc != _Scorer.end {
        // Block-max: when no document from here to the end of the current blocks can beat the
        // k-th score, the window is skipped (or, when the total must be exact, its documents
        // are counted but not scored).
        if k > 0 && heap.isFull {
          if doc < windowStart || doc > windowLast {
            (windowBound, windowLast) = s.blockMax(at: doc)
            windowStart = doc
          }
          let (bound, last) = (windowBound, windowLast)
          if bound < heap.threshold {
            if exactTotal {
              if !(hasDeletions && segment.isDeleted(doc)) { total += 1 }
              doc = s.next()
            } else {
              doc = last >= _Scorer.end - 1 ? _Scorer.end : s.advance(last + 1)
            }
            continue
          }
        }
        if !(hasDeletions && segment.isDeleted(doc)) {
          total += 1
          if k > 0 {
            let score = s.score()
            if heap.accepts(score: score, segment: index, doc: doc) {
              var explanation: [ScoreContribution] = []
              if explain { s.explain(&explanation) }
              heap.insert(score: score, segment: index, doc: doc, explanation: explain ? explanation : nil)
              if !exactTotal && heap.isFull { s.minCompetitiveScore = heap.threshold }
            }
          }
        }
        doc = s.next()
      }
    }
    let sorted = heap.sorted()
    return Result(total: total, hits: Array(sorted.dropFirst(offset)))
  }

  /// The top-k loop for one word in one field (a one-word query, or an AND left with one word
  /// after stopwords): block-max windows over the cursor, and a document's score is divided
  /// out only when it can reach the k-th score (idf · w·tf ≥ threshold · (k1 · norm + w·tf),
  /// less a margin far above rounding error), so most documents cost two multiplications.
  /// Returns the number of documents counted.
  func singleTopK(_ a: _SingleTermScorer, segment index: Int, heap: inout _TopHits, exactTotal: Bool) -> Int {
    let segment = snapshot.segments[index]
    let hasDeletions = segment.liveDocCount < segment.docCount
    let end = _Scorer.end
    let c = a.cursor
    let k = heap.capacity
    let (idf, weight, k1) = (a.idf, a.weight, a.bm25.k1)
    let (normBase, normSlope) = (a.normBase, a.normSlope)
    var total = 0
    var windowStart: UInt32 = 1
    var windowLast: UInt32 = 0
    var windowBound = 0.0
    var doc = a.doc
    while doc != end {
      if k > 0 && heap.isFull {
        if doc < windowStart || doc > windowLast {
          (windowBound, windowLast) = a.blockMax(at: doc)
          windowStart = doc
        }
        if windowBound < heap.threshold {
          if exactTotal {
            if !(hasDeletions && segment.isDeleted(doc)) { total += 1 }
            doc = c.pointee.next()
          } else {
            doc = windowLast >= end - 1 ? end : c.pointee.advance(to: windowLast + 1)
          }
          continue
        }
      }
      if !(hasDeletions && segment.isDeleted(doc)) {
        total += 1
        if k > 0 {
          // `a.score(tf, length)`, the same operations in the same order.
          let wtf = weight * Double(c.pointee.freq)
          let numerator = idf * wtf
          let denominator = k1 * (normBase + normSlope * Double(a.lengths?[doc] ?? 0)) + wtf
          if !heap.isFull || numerator >= heap.threshold * denominator * (1 - 1e-9) {
            let score = numerator / denominator
            if heap.accepts(score: score, segment: index, doc: doc) {
              heap.insert(score: score, segment: index, doc: doc)
            }
          }
        }
      }
      doc = c.pointee.next()
    }
    return total
  }

  /// The top-k loop of `search` for the commonest conjunction, two words each in one field (a
  /// two-word AND): the same steps (block-max windows, the sparse lead's pruning, deletions,
  /// scores summed in clause order) written over the two cursors directly, without a call
  /// through the scorer tree per document. Returns the number of documents counted.
  func pairTopK(
    _ c: _ConjunctionScorer, _ a: _SingleTermScorer, _ b: _SingleTermScorer, segment index: Int,
    heap: inout _TopHits, exactTotal: Bool
  ) -> Int {
    let segment = snapshot.segments[index]
    let hasDeletions = segment.liveDocCount < segment.docCount
    let end = _Scorer.end
    let ca = a.cursor
    let cb = b.cursor
    let aFirst = c.children.first === a
    let sparse = c.sparseLead && !exactTotal
    let k = heap.capacity
    var total = 0
    var windowStart: UInt32 = 1
    var windowLast: UInt32 = 0
    var windowBound = 0.0
    /// The first common doc from the lead's `d` on.
    @inline(__always) func match(_ d: UInt32) -> UInt32 {
      var d = d
      while d != end {
        let e = cb.pointee.advance(to: d)
        if e == d { return d }
        if e == end { return end }
        d = ca.pointee.advance(to: e)
      }
      return end
    }
    var doc = c.doc
    while doc != end {
      if k > 0 && heap.isFull {
        if doc < windowStart || doc > windowLast {
          let x = a.blockMax(at: doc)
          let y = b.blockMax(at: doc)
          windowBound = x.score + y.score
          windowLast = min(x.last, y.last)
          windowStart = doc
        }
        if windowBound < heap.threshold {
          if exactTotal {
            if !(hasDeletions && segment.isDeleted(doc)) { total += 1 }
            doc = match(ca.pointee.next())
          } else {
            doc = windowLast >= end - 1 ? end : match(ca.pointee.advance(to: windowLast + 1))
          }
          continue
        }
      }
      if !(hasDeletions && segment.isDeleted(doc)) {
        total += 1
        if k > 0 {
          let sa = a.score(ca.pointee.freq, a.lengths?[doc] ?? 0)
          let sb = b.score(cb.pointee.freq, b.lengths?[doc] ?? 0)
          let score = aFirst ? sa + sb : sb + sa
          if heap.accepts(score: score, segment: index, doc: doc) {
            heap.insert(score: score, segment: index, doc: doc)
          }
        }
      }
      var d = ca.pointee.next()
      // A rare lead: its candidates that cannot compete are passed over before the frequent
      // word's cursor moves (`_ConjunctionScorer.alignCompetitive`).
      if sparse && heap.isFull {
        while d != end
          && a.score(ca.pointee.freq, a.lengths?[d] ?? 0) + b.blockMax(at: d).score < heap.threshold
        {
          d = ca.pointee.next()
        }
      }
      doc = match(d)
    }
    return total
  }

  /// The clauses of a plan that is a plain ranked OR of words and phrases, or nil.
  static func disjunction(_ plan: Plan) -> [Plan]? {
    switch plan {
    case .word, .phrase: return [plan]
    case .any(let parts):
      return parts.allSatisfy({
        if case .word = $0 { true } else if case .phrase = $0 { true } else { false }
      })
        ? parts : nil
    case .boolean(let required, let optional, let excluded) where required.isEmpty && excluded.isEmpty:
      var out: [Plan] = []
      for p in optional {
        guard let inner = disjunction(p) else { return nil }
        out += inner
      }
      return out.isEmpty ? nil : out
    default: return nil
    }
  }

  /// Top-k of a ranked OR with MaxScore (Turtle and Flood): clauses sorted by their score
  /// bound; those whose bounds together cannot lift a document above the current k-th score
  /// are "non-essential" and only advanced to candidates that the others make competitive, so
  /// most postings of frequent terms are skipped. Within the essential clauses, the per-block
  /// bounds of the postings (largest frequency, smallest length) skip whole windows of blocks
  /// that cannot compete (block-max). Scores are summed in clause order, as in the
  /// exhaustive evaluation, so both give identical scores and identical top-k. `total` counts
  /// only the documents it scored (a lower bound).
  func maxScoreSearch(_ clauses: [Plan], k: Int, offset: Int, _ context: _QueryContext) -> Result {
    var heap = _TopHits(capacity: k, ids: ids)
    var scored = 0
    for (index, segment) in snapshot.segments.enumerated() {
      let scorers = clauses.map { scorer($0, segment: index, context) }
      if scorers.count == 1, let single = scorers[0] as? _SingleTermScorer {
        scored += singleTopK(single, segment: index, heap: &heap, exactTotal: false)
        continue
      }
      let hasDeletions = segment.liveDocCount < segment.docCount
      // Clause indices by increasing bound; `kids.*(i)` is the clause `order[i]`.
      let order = scorers.indices.sorted { scorers[$0].maxScore < scorers[$1].maxScore }
      // `kids` does not own the scorers: `scorers` must live to the end of the loop.
      let kids = _Children(order.map { scorers[$0] })
      defer {
        withExtendedLifetime(scorers) {}
        kids.deallocate()
      }
      var prefixBound = [Double](repeating: 0, count: order.count + 1)
      for (i, c) in order.enumerated() { prefixBound[i + 1] = prefixBound[i] + scorers[c].maxScore }
      var contributions = [Double](repeating: 0, count: scorers.count)
      // The non-essential clauses' block bounds at the current candidate, summed as `prefixBound`.
      var blockPrefix = [Double](repeating: 0, count: order.count + 1)
      var firstEssential = 0
      var threshold = -Double.infinity
      func updateEssential() {
        guard heap.isFull else { return }
        threshold = heap.threshold
        while firstEssential < order.count && prefixBound[firstEssential + 1] < threshold {
          firstEssential += 1
        }
      }
      updateEssential()
      while firstEssential < order.count {
        // The next candidate: the smallest doc among the essential clauses.
        var doc = _Scorer.end
        for i in firstEssential..<order.count { doc = min(doc, kids.doc(i)) }
        if doc == _Scorer.end { break }
        // Block-max: when no document up to the end of every clause's current block can beat
        // the k-th score, skip the whole window. The non-essential clauses' block bounds
        // (tighter than their whole-list bounds) also bound the candidate below.
        var tight = false
        if heap.isFull {
          var essential = 0.0
          var windowEnd = _Scorer.end - 1
          for i in firstEssential..<order.count {
            let (b, last) = kids.blockMax(i, at: doc)
            essential += b
            windowEnd = min(windowEnd, last)
          }
          var skip = prefixBound[firstEssential] + essential < threshold
          if !skip && firstEssential > 0 {
            // Tighter: the non-essential clauses' block bounds instead of their list bounds.
            var bound = essential
            var end = windowEnd
            for i in 0..<firstEssential {
              let (b, last) = kids.blockMax(i, at: doc)
              blockPrefix[i + 1] = blockPrefix[i] + b
              bound += b
              end = min(end, last)
            }
            tight = true
            if bound < threshold {
              skip = true
              windowEnd = end
            }
          }
          if skip {
            for i in firstEssential..<order.count where kids.doc(i) <= windowEnd {
              _ = kids.advance(i, windowEnd + 1)
            }
            continue
          }
        }
        var score = 0.0
        for i in contributions.indices { contributions[i] = 0 }
        for i in firstEssential..<order.count where kids.doc(i) == doc {
          let s = kids.score(i)
          contributions[order[i]] = s
          score += s
        }
        // Non-essential clauses, largest bound first, while they can still matter.
        var competitive = true
        var i = firstEssential - 1
        while i >= 0 {
          if heap.isFull && score + (tight ? blockPrefix[i + 1] : prefixBound[i + 1]) < threshold {
            competitive = false
            break
          }
          if kids.doc(i) < doc { _ = kids.advance(i, doc) }
          if kids.doc(i) == doc {
            let x = kids.score(i)
            contributions[order[i]] = x
            score += x
          }
          i -= 1
        }
        if competitive && !(hasDeletions && segment.isDeleted(doc)) {
          scored += 1
          var total = 0.0
          for x in contributions { total += x }
          if heap.accepts(score: total, segment: index, doc: doc) {
            heap.insert(score: total, segment: index, doc: doc)
            updateEssential()
          }
        }
        for j in firstEssential..<order.count where kids.doc(j) == doc { _ = kids.next(j) }
      }
    }
    return Result(total: scored, hits: Array(heap.sorted().dropFirst(offset)))
  }

  /// The stored record of a hit.
  package func stored(_ hit: Hit) throws -> [UInt8] {
    try snapshot.segments[hit.segment].document(hit.doc)
  }

  /// Finds a live document by id: (segment, doc).
  package func locate(id: String) -> (segment: Int, doc: UInt32)? {
    for (i, s) in snapshot.segments.enumerated() {
      for d in s.keywordDocs(field: 4, value: Array(id.utf8)) where !s.isDeleted(d) { return (i, d) }
    }
    return nil
  }
}

/// The best `capacity` hits seen so far: higher score first, then smaller id. A binary heap
/// with the worst hit on top, of plain (score, segment, doc) entries: an id is looked up in the
/// engine's id columns only to break a tie, so keeping a hit retains nothing.
/// Cost: O(log capacity) per insert.
struct _TopHits {
  struct Entry {
    var score: Double
    var doc: UInt32
    var segment: Int32
  }

  let capacity: Int
  /// The engine's id columns, per segment.
  let ids: [[String]]
  var items: [Entry] = []
  /// The explanation of each inserted hit (with `explain` only), by `segment << 32 | doc`.
  var explanations: [UInt64: [ScoreContribution]] = [:]

  init(capacity: Int, ids: [[String]]) {
    self.capacity = capacity
    self.ids = ids
    items.reserveCapacity(min(capacity, 1024))
  }

  @inline(__always)
  func id(_ e: Entry) -> String { ids[Int(e.segment)][Int(e.doc)] }

  @inline(__always)
  func better(_ a: Entry, than b: Entry) -> Bool {
    a.score != b.score ? a.score > b.score : id(a) < id(b)
  }

  @inline(__always)
  func worse(_ i: Int, _ j: Int) -> Bool { better(items[j], than: items[i]) }

  /// Whether the heap holds `capacity` hits.
  var isFull: Bool { items.count == capacity }

  /// The score to beat once the heap is full (the worst kept hit's), else −∞.
  private(set) var threshold = -Double.infinity

  /// Whether a hit with this score would be kept; its id is only looked up on a tie.
  @inline(__always)
  func accepts(score: Double, segment: Int, doc: UInt32) -> Bool {
    guard capacity > 0 else { return false }
    if items.count < capacity { return true }
    if score != threshold { return score > threshold }
    return better(Entry(score: score, doc: doc, segment: Int32(segment)), than: items[0])
  }

  mutating func insert(score: Double, segment: Int, doc: UInt32, explanation: [ScoreContribution]? = nil) {
    let hit = Entry(score: score, doc: doc, segment: Int32(segment))
    if let explanation { explanations[UInt64(segment) << 32 | UInt64(doc)] = explanation }
    if items.count < capacity {
      items.append(hit)
      var i = items.count - 1
      while i > 0 {
        let parent = (i - 1) / 2
        guard worse(i, parent) else { break }
        items.swapAt(i, parent)
        i = parent
      }
    } else {
      items[0] = hit
      var i = 0
      while true {
        let l = 2 * i + 1
        let r = l + 1
        var w = i
        if l < items.count && worse(l, w) { w = l }
        if r < items.count && worse(r, w) { w = r }
        if w == i { break }
        items.swapAt(i, w)
        i = w
      }
    }
    if items.count == capacity { threshold = items[0].score }
  }

  /// The kept hits, best first.
  func sorted() -> [SearchEngine.Hit] {
    items.sorted { better($0, than: $1) }.map {
      SearchEngine.Hit(
        segment: Int($0.segment), doc: $0.doc, score: $0.score, id: id($0),
        explanation: explanations[UInt64($0.segment) << 32 | UInt64($0.doc)] ?? [])
    }
  }
}
