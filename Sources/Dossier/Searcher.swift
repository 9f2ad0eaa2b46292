import DossierIndex
import DossierSearch
import Foundation

/// How a search runs.
public struct SearchOptions: Sendable, Hashable {
  /// Words written next to each other: a ranked OR (default) or a conjunction.
  public var defaultOperator: QueryOperator = .or
  /// Reject invalid syntax with `DossierError.querySyntax` instead of reading it leniently.
  public var strict = false
  /// Take the query text as plain words, with no syntax at all (as the reference runs of
  /// ../shared/eval take their queries).
  public var plainWords = false
  /// BM25 parameters for this query (the index's when nil).
  public var k1: Double? = nil
  public var b: Double? = nil
  /// BM25F field weights for this query (the index's when nil).
  public var titleWeight: Double? = nil
  public var headingsWeight: Double? = nil
  /// Passages per hit (0 for none).
  public var snippets = 2
  /// Fill each hit's `explanation`.
  public var explain = false
  /// Read each hit's stored document (title, path, metadata, snippets); off, hits carry only
  /// id and score, which is what batch runs and evaluation need (much faster for deep lists).
  public var fetchDocuments = true
  /// Count every matching document for `total`. Off, a ranked OR of words is evaluated with
  /// MaxScore, which skips documents that cannot reach the top hits (much faster on large
  /// indexes), and `total` counts only the documents it scored.
  public var exactTotal = true

  public init() {}
}

/// A passage of a hit's text with the query's matches marked.
public struct Snippet: Sendable, Hashable {
  /// A highlighted span: offsets into the document's body text (its blocks joined by a blank
  /// line, `Document.bodyText`), in UTF-8 bytes and in characters (Unicode scalars).
  public struct Highlight: Sendable, Hashable {
    public var start: Int
    public var end: Int
    public var characterStart: Int
    public var characterEnd: Int
  }
  public var text: String
  /// Where the passage starts in the body text (UTF-8 bytes and characters).
  public var start: Int
  public var characterStart: Int
  public var highlights: [Highlight]
}

/// One result.
public struct SearchHit: Sendable, Hashable {
  public var id: String
  public var score: Double
  public var title: String
  public var path: String?
  public var metadata: [String: String]
  public var snippets: [Snippet]
  /// Per query clause and field, what it added to the score (with `SearchOptions.explain`).
  public var explanation: [ScoreContribution]
}

/// The answer to a query.
public struct SearchResults: Sendable, Hashable {
  /// The query as typed, or, for a query built from parts, its syntax (rendered when first
  /// read, not on every search).
  public var query: String {
    get { _text ?? _query?.syntax ?? "" }
    set {
      _text = newValue
      _query = nil
    }
  }
  private var _text: String?
  private var _query: Query?

  package init(query: Query, total: Int, hits: [SearchHit], milliseconds: Double) {
    _query = query
    self.total = total
    self.hits = hits
    self.milliseconds = milliseconds
  }

  public static func == (a: Self, b: Self) -> Bool {
    a.query == b.query && a.total == b.total && a.hits == b.hits && a.milliseconds == b.milliseconds
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(query)
    hasher.combine(total)
    hasher.combine(hits)
    hasher.combine(milliseconds)
  }

  /// Matching documents in the index.
  public var total: Int
  public var hits: [SearchHit]
  public var milliseconds: Double
}

/// Searches an index as of the moment it was opened (a snapshot: later commits are not seen
/// until a new `Searcher` is opened; the writer never blocks it).
///
///     let searcher = try Searcher(path: "Index")
///     let results = try searcher.search("facial recognition Ecuador", limit: 5)
///     for hit in results.hits { print(hit.score, hit.id, hit.title) }
///
/// Queries are strings in Dossier's query language (`docs/query-language.md`), parsed leniently
/// unless `strict`, or `Query` values built from parts (safe for any user text).
///
/// Cost: opening reads the manifest and maps the segments (and builds each segment's id column:
/// one pass over the ids); a query visits the postings of its terms in every segment.
public final class Searcher: @unchecked Sendable {
  public let path: String
  public let settings: IndexSettings
  package let engine: SearchEngine

  public init(path: String) throws(DossierError) {
    self.path = path
    do {
      let directory = try openExistingIndexFolder(path)
      guard let snapshot = try IndexSnapshot.open(directory) else {
        throw DossierError.notAnIndex(path: path)
      }
      settings = try IndexSettings.decode(snapshot.manifest.settings, file: "\(path)/\(Manifest.fileName)")
      engine = SearchEngine(
        snapshot: snapshot, analyzer: settings.analyzer, k1: settings.k1, b: settings.b,
        fieldWeights: settings.fieldWeights)
    } catch {
      throw DossierError(error)
    }
  }

  /// Live documents.
  public var documentCount: Int { engine.snapshot.liveDocCount }

  /// Parses `text` (leniently, or strictly with `options.strict`) and searches.
  public func search(
    _ text: String, limit: Int = 10, offset: Int = 0, options: SearchOptions = SearchOptions()
  )
    throws(DossierError) -> SearchResults
  {
    let parser = QueryParser(
      mode: options.strict ? .strict : .lenient, defaultOperator: options.defaultOperator)
    let query: Query
    if options.plainWords {
      query = Query(words: text, defaultOperator: options.defaultOperator)
    } else {
      do {
        query = try parser.parse(text)
      } catch {
        throw .querySyntax(message: error.message, position: error.position)
      }
    }
    var results = try search(query, limit: limit, offset: offset, options: options)
    results.query = text
    return results
  }

  /// Searches with a query built from parts.
  public func search(
    _ query: Query, limit: Int = 10, offset: Int = 0, options: SearchOptions = SearchOptions()
  )
    throws(DossierError) -> SearchResults
  {
    let start = DispatchTime.now()
    var scoring = engine.scoring
    if let k1 = options.k1 { scoring.k1 = k1 }
    if let b = options.b { scoring.b = b }
    if let w = options.titleWeight { scoring.fieldWeights[0] = w }
    if let w = options.headingsWeight { scoring.fieldWeights[1] = w }
    let result = engine.search(
      query, limit: min(max(limit, 0), 10_000), offset: max(offset, 0),
      defaultOperator: options.defaultOperator,
      explain: options.explain, exactTotal: options.exactTotal, scoring: scoring)
    var hits: [SearchHit] = []
    for hit in result.hits where !options.fetchDocuments {
      hits.append(
        SearchHit(
          id: hit.id, score: hit.score, title: "", path: nil, metadata: [:], snippets: [],
          explanation: hit.explanation))
    }
    let snippetBuilder =
      options.fetchDocuments && options.snippets > 0 && !result.hits.isEmpty
      ? SnippetBuilder(query: query, engine: engine) : nil
    for hit in result.hits where options.fetchDocuments {
      var document: Document
      do {
        document = try StoredDocument.decode(try engine.stored(hit))
      } catch {
        throw DossierError.corrupt(
          file: "\(engine.snapshot.segments[hit.segment].name).store",
          detail: "stored document \(hit.doc): \(error)")
      }
      let snippets = snippetBuilder?.snippets(for: document, count: options.snippets) ?? []
      hits.append(
        SearchHit(
          id: hit.id, score: hit.score, title: document.title, path: document.path,
          metadata: document.metadata,
          snippets: snippets, explanation: hit.explanation))
    }
    let ms = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    return SearchResults(query: query, total: result.total, hits: hits, milliseconds: ms)
  }

  /// The stored document with this id, or nil.
  public func document(id: String) throws(DossierError) -> Document? {
    guard let (segment, doc) = engine.locate(id: id) else { return nil }
    do {
      return try StoredDocument.decode(try engine.snapshot.segments[segment].document(doc))
    } catch {
      throw DossierError(error)
    }
  }
}
