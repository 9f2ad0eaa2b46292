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
  package var k1: Double
  package var b: Double
  /// Weights of the default fields.
  package var fieldWeights: [FieldNumber: Double]
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
    self.k1 = k1
    self.b = b
    self.fieldWeights = fieldWeights
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
  func docFreq(_ variants: [[UInt8]], _ fields: [FieldNumber]) -> Double {
    var best = 0.0
    for f in fields {
      var df = 0.0
      for s in snapshot.segments {
        for v in variants { df += Double(s.termInfo(field: f, term: v)?.docFreq ?? 0) }
      }
      best = max(best, min(df, fieldStatistics[f]?.docCount ?? df))
    }
    return best
  }

  // MARK: Planning

  /// The fields a leaf searches.
  func textFields(_ field: QueryField?) -> [FieldNumber]? {
    switch field {
    case nil: return Self.defaultFields.filter { (fieldWeights[$0] ?? 0) > 0 }
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

  func plan(_ query: Query, defaultOperator: QueryOperator, session: AnalysisSession) -> Plan {
    switch query {
    case .term(let text, let field):
      if let field, let k = Self.keywordField(field) {
        return .keyword(field: k, values: [Array(text.utf8)], prefix: false)
      }
      guard let fields = textFields(field) else { return .nothing }
      // A word that is a stopword in some language of the index is left out: the documents of
      // that language cannot contain it, so requiring it would exclude them all.
      let words = session.queryTerms(text, languages: languages).filter { $0.stopwordIn.isEmpty }
      let plans: [Plan] = words.map { word in
        let variants = word.variants.map { Array($0.utf8) }
        let n = docCount(fields)
        let idf = _BM25.idf(docCount: n, docFreq: docFreq(variants, fields))
        return .word(
          label: text.count < 40 ? String(text) : String(text.prefix(40)), variants: variants, fields: fields,
          idf: idf)
      }
      if plans.isEmpty { return .nothing }
      if plans.count == 1 { return plans[0] }
      return defaultOperator == .and ? .all(plans) : .any(plans)
    // (`.all` and `.any` parts are words of one leaf, never `.nothing`.)
    case .prefix(let text, let field):
      if let field, let k = Self.keywordField(field) {
        return .keyword(field: k, values: [Array(text.utf8)], prefix: true)
      }
      guard let fields = textFields(field) else { return .nothing }
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
      let idf = _BM25.idf(docCount: docCount(fields), docFreq: docFreq(variants, fields))
      return .word(label: text + "*", variants: variants, fields: fields, idf: idf)
    case .phrase(let text, let field, let slop):
      guard let fields = textFields(field) else {
        if let field, let k = Self.keywordField(field) {
          return .keyword(field: k, values: [Array(text.utf8)], prefix: false)
        }
        return .nothing
      }
      // Stopwords of any index language are left out; the others keep their places.
      let words = session.queryTerms(text, languages: languages).filter { $0.stopwordIn.isEmpty }
      guard !words.isEmpty else { return .nothing }
      if words.count == 1 {
        return plan(.term(text, field: field), defaultOperator: defaultOperator, session: session)
      }
      let variants = words.map { $0.variants.map { Array($0.utf8) } }
      let first = words[0].position
      let n = docCount(fields)
      let idf = variants.reduce(0) { $0 + _BM25.idf(docCount: n, docFreq: docFreq($1, fields)) }
      return .phrase(
        label: "\"\(text)\"", words: variants, offsets: words.map { $0.position - first }, fields: fields,
        slop: slop,
        idf: idf)
    case .date(let from, let through):
      let lo = from.map { DayNumber.days(year: $0.year, month: $0.month, day: $0.day) } ?? Int64.min
      let hi = through.map { DayNumber.days(year: $0.year, month: $0.month, day: $0.day) } ?? Int64.max
      return .dateRange(lo...hi)
    case .and(let parts):
      return booleanPlan(parts, conjunction: true, defaultOperator: defaultOperator, session: session)
    case .or(let parts):
      return booleanPlan(parts, conjunction: false, defaultOperator: defaultOperator, session: session)
    case .not(let part):
      return .boolean(
        required: [], optional: [], excluded: [plan(part, defaultOperator: defaultOperator, session: session)]
      )
    case .required(let part):
      return .boolean(
        required: [plan(part, defaultOperator: defaultOperator, session: session)], optional: [], excluded: []
      )
    }
  }

  func booleanPlan(
    _ parts: [Query], conjunction: Bool, defaultOperator: QueryOperator, session: AnalysisSession
  ) -> Plan {
    var required: [Plan] = []
    var optional: [Plan] = []
    var excluded: [Plan] = []
    for part in parts {
      switch part {
      case .not(let inner): excluded.append(plan(inner, defaultOperator: defaultOperator, session: session))
      case .required(let inner):
        required.append(plan(inner, defaultOperator: defaultOperator, session: session))
      default:
        if conjunction {
          required.append(plan(part, defaultOperator: defaultOperator, session: session))
        } else {
          optional.append(plan(part, defaultOperator: defaultOperator, session: session))
        }
      }
    }
    // A part that stands for nothing (a word that is only stopwords) is dropped, as Lucene's
    // query parser drops stopword clauses: it neither requires nor excludes anything.
    func kept(_ plans: [Plan]) -> [Plan] { plans.filter { if case .nothing = $0 { false } else { true } } }
    return .boolean(required: kept(required), optional: kept(optional), excluded: kept(excluded))
  }

  // MARK: Scorers

  func scorer(_ plan: Plan, segment index: Int) -> _Scorer {
    let segment = snapshot.segments[index]
    let bm25 = _BM25(k1: k1, b: b)
    switch plan {
    case .nothing:
      return _EmptyScorer()
    case .word(let label, let variants, let fields, let idf):
      var inputs: [_FieldInput] = []
      for f in fields {
        let cursors = variants.compactMap { segment.postings(field: f, term: $0) }
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
        let cursors = words.map { variants in variants.compactMap { segment.postings(field: f, term: $0) } }
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
      return _ConjunctionScorer(parts.map { scorer($0, segment: index) })
    case .any(let parts):
      return _DisjunctionScorer(parts.map { scorer($0, segment: index) })
    case .boolean(let required, let optional, let excluded):
      let req = required.map { scorer($0, segment: index) }
      let opt = optional.map { scorer($0, segment: index) }
      let exc = excluded.map { scorer($0, segment: index) }
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
    exactTotal: Bool = true
  ) -> Result {
    let box = sessions.withLock { $0.popLast() } ?? _SessionBox(AnalysisSession(analyzer))
    let plan = plan(query.normalized, defaultOperator: defaultOperator, session: box.session)
    sessions.withLock { $0.append(box) }
    let k = max(0, limit) + max(0, offset)
    if !exactTotal && !explain, k > 0, let clauses = Self.disjunction(plan) {
      return maxScoreSearch(clauses, k: k, offset: offset)
    }
    var heap = _TopHits(capacity: k)
    var total = 0
    for (index, segment) in snapshot.segments.enumerated() {
      let s = scorer(plan, segment: index)
      var doc = s.doc
      while doc != _Scorer.end {
        if !segment.isDeleted(doc) {
          total += 1
          // Block-max: a document whose bound cannot beat the k-th score is counted, not scored.
          if k > 0 && heap.items.count == k && s.blockMax(at: doc).score < heap.items[0].score {
            doc = s.next()
            continue
          }
          if k > 0 {
            let score = s.score()
            if heap.accepts(score: score, id: ids[index][Int(doc)]) {
              var explanation: [ScoreContribution] = []
              if explain { s.explain(&explanation) }
              heap.insert(
                Hit(
                  segment: index, doc: doc, score: score, id: ids[index][Int(doc)], explanation: explanation))
            }
          }
        }
        doc = s.next()
      }
    }
    let sorted = heap.sorted()
    return Result(total: total, hits: Array(sorted.dropFirst(offset)))
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
  func maxScoreSearch(_ clauses: [Plan], k: Int, offset: Int) -> Result {
    var heap = _TopHits(capacity: k)
    var scored = 0
    for (index, segment) in snapshot.segments.enumerated() {
      let scorers = clauses.map { scorer($0, segment: index) }
      // Clause indices by increasing bound.
      let order = scorers.indices.sorted { scorers[$0].maxScore < scorers[$1].maxScore }
      var prefixBound = [Double](repeating: 0, count: order.count + 1)
      for (i, c) in order.enumerated() { prefixBound[i + 1] = prefixBound[i] + scorers[c].maxScore }
      var contributions = [Double](repeating: 0, count: scorers.count)
      var firstEssential = 0
      func updateEssential() {
        guard heap.items.count == k else { return }
        let threshold = heap.items[0].score
        while firstEssential < order.count && prefixBound[firstEssential + 1] < threshold {
          firstEssential += 1
        }
      }
      updateEssential()
      while firstEssential < order.count {
        // The next candidate: the smallest doc among the essential clauses.
        var doc = _Scorer.end
        for i in firstEssential..<order.count { doc = min(doc, scorers[order[i]].doc) }
        if doc == _Scorer.end { break }
        // Block-max: when no document up to the end of the essential clauses' current blocks
        // can beat the k-th score, skip the whole window.
        if heap.items.count == k {
          var bound = prefixBound[firstEssential]
          var windowEnd = _Scorer.end - 1
          for i in firstEssential..<order.count {
            let (b, last) = scorers[order[i]].blockMax(at: doc)
            bound += b
            windowEnd = min(windowEnd, last)
          }
          if bound < heap.items[0].score {
            for i in firstEssential..<order.count where scorers[order[i]].doc <= windowEnd {
              _ = scorers[order[i]].advance(windowEnd + 1)
            }
            continue
          }
        }
        var score = 0.0
        for i in contributions.indices { contributions[i] = 0 }
        for i in firstEssential..<order.count where scorers[order[i]].doc == doc {
          let s = scorers[order[i]].score()
          contributions[order[i]] = s
          score += s
        }
        // Non-essential clauses, largest bound first, while they can still matter.
        var competitive = true
        var i = firstEssential - 1
        while i >= 0 {
          if heap.items.count == k && score + prefixBound[i + 1] < heap.items[0].score {
            competitive = false
            break
          }
          let s = scorers[order[i]]
          if s.doc < doc { _ = s.advance(doc) }
          if s.doc == doc {
            let x = s.score()
            contributions[order[i]] = x
            score += x
          }
          i -= 1
        }
        if competitive && !segment.isDeleted(doc) {
          scored += 1
          var total = 0.0
          for x in contributions { total += x }
          let id = ids[index][Int(doc)]
          if heap.accepts(score: total, id: id) {
            heap.insert(Hit(segment: index, doc: doc, score: total, id: id, explanation: []))
            updateEssential()
          }
        }
        for j in firstEssential..<order.count where scorers[order[j]].doc == doc {
          _ = scorers[order[j]].next()
        }
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
/// with the worst hit on top. Cost: O(log capacity) per insert.
struct _TopHits {
  let capacity: Int
  var items: [SearchEngine.Hit] = []

  init(capacity: Int) { self.capacity = capacity }

  static func better(_ a: (Double, String), than b: (Double, String)) -> Bool {
    a.0 != b.0 ? a.0 > b.0 : a.1 < b.1
  }

  @inline(__always)
  func worse(_ i: Int, _ j: Int) -> Bool {
    Self.better((items[j].score, items[j].id), than: (items[i].score, items[i].id))
  }

  func accepts(score: Double, id: String) -> Bool {
    guard capacity > 0 else { return false }
    if items.count < capacity { return true }
    return Self.better((score, id), than: (items[0].score, items[0].id))
  }

  mutating func insert(_ hit: SearchEngine.Hit) {
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
  }

  func sorted() -> [SearchEngine.Hit] {
    items.sorted { Self.better(($0.score, $0.id), than: ($1.score, $1.id)) }
  }
}
