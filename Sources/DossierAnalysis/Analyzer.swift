/// The analysis chain: how text becomes the terms of the index and of every query.
///
/// An `Analyzer` is a plain value built from a profile and options. The index stores it (as
/// JSON, through `Codable`) when it is created and uses the stored one for every later
/// document and query, so indexing and searching can never disagree.
///
///     let analyzer = Analyzer.standard
///     for token in analyzer.analyze("Facial-recognition cameras in Buenos Aires") {
///       print(token.term, token.position)   // facial 0, recognit 1, camera 2, bueno 4, air 5
///     }
///
/// The chain, in order: UAX #29 words (`_WordTokenizer`); NFKC for compatibility forms and
/// case folding (`caseFolding`, `compatibilityNormalization`); the English possessive `'s`
/// dropped (`possessives`); stopwords removed, each still taking its position (`stopwords`);
/// the Snowball stemmer of the document's language (`stemming`); diacritics folded away
/// (`diacriticFolding`, after the stemmer, which knows its language's accents). CJK runs become
/// overlapping bigrams (`cjk`). `analyze` allocates a `String` per token and is for people and
/// tests; the index uses an `AnalysisSession`, which works on bytes and caches.
public struct Analyzer: Sendable, Hashable, Codable {
  /// A named starting point for the options.
  public enum Profile: String, Sendable, Hashable, Codable, CaseIterable {
    /// The default: Unicode words, NFKC and full case folding, diacritics folded, per-language
    /// stopwords and Snowball stemmers, the language detected when a document gives none,
    /// CJK bigrams.
    case standard
    /// Lucene's English analyzer as Anserini uses it: StandardTokenizer, possessive filter,
    /// lowercase, Lucene's 33 stopwords, the original Porter stemmer. For comparisons with the
    /// reference runs of ../shared/eval; every document is treated as English.
    case luceneEnglish = "lucene-english"
  }

  /// How stopwords are chosen.
  public enum StopwordPolicy: Sendable, Hashable, Codable {
    /// Keep every word.
    case none
    /// The built-in list of each document's language (`Stopwords.list(for:)`).
    case perLanguage
    /// This list, whatever the language.
    case list([String])
  }

  /// How words are stemmed.
  public enum Stemming: Sendable, Hashable, Codable {
    /// No stemming.
    case none
    /// The Snowball stemmer of each document's language (English is Porter2).
    case perLanguage
    /// This libstemmer algorithm (`porter`, `english`, `spanish`, ...) for every document.
    case algorithm(String)
    /// Lucene's `PorterStemFilter`: libstemmer's original Porter with the departures of
    /// Lucene's Java implementation (words of one or two letters unstemmed; `-bli` becomes
    /// `-ble` and `-logi` becomes `-log` in step 2).
    case lucenePorter
  }

  /// What CJK runs become.
  public enum CJKMode: String, Sendable, Hashable, Codable {
    /// Overlapping bigrams; a lone character stays a unigram.
    case bigrams
    /// Each ideograph or Hiragana character alone, Katakana and Hangul runs whole (Lucene's
    /// StandardTokenizer).
    case unigrams
  }

  public var profile: Profile
  /// The language of documents and queries that name none (and that the detector cannot tell).
  public var defaultLanguage: Language
  /// Guess the language of documents that name none.
  public var detectLanguage: Bool
  /// Full Unicode case folding (`Straße` → `strasse`, `µ` → `μ`); false applies the simple
  /// lowercase mapping instead, as Java's `Character.toLowerCase` does (`ß` and `µ` stay).
  public var caseFolding: Bool
  /// NFKC for compatibility forms: full-width letters, ligatures, superscripts.
  public var compatibilityNormalization: Bool
  /// Strip diacritics from Latin and Greek letters (`é` → `e`), after stemming.
  public var diacriticFolding: Bool
  /// Drop a trailing `'s` (also with `’`).
  public var possessives: Bool
  public var stopwords: StopwordPolicy
  public var stemming: Stemming
  /// Emoji and pictographic symbols (`©`, `™`) become tokens, as in Lucene's tokenizer.
  public var emojiTokens: Bool
  public var cjk: CJKMode
  /// Words longer than this many bytes are dropped (`standard`) or split (`lucene-english`,
  /// as Lucene does at 255 characters).
  public var maximumTokenLength: Int

  /// The analyzer of `profile` with its default options.
  public init(profile: Profile = .standard) {
    self.profile = profile
    switch profile {
    case .standard:
      defaultLanguage = .english
      detectLanguage = true
      caseFolding = true
      compatibilityNormalization = true
      diacriticFolding = true
      possessives = true
      stopwords = .perLanguage
      stemming = .perLanguage
      emojiTokens = false
      cjk = .bigrams
      maximumTokenLength = 255
    case .luceneEnglish:
      defaultLanguage = .english
      detectLanguage = false
      caseFolding = false
      compatibilityNormalization = false
      diacriticFolding = false
      possessives = true
      stopwords = .list(Stopwords.lucene33)
      stemming = .lucenePorter
      emojiTokens = true
      cjk = .unigrams
      maximumTokenLength = 255
    }
  }

  /// The default analyzer.
  public static let standard = Analyzer(profile: .standard)
  /// Lucene's English analyzer, for the reference comparisons.
  public static let luceneEnglish = Analyzer(profile: .luceneEnglish)

  /// The language a document is analyzed in: the one it names (when valid), else the
  /// detector's guess (when enabled), else `defaultLanguage`.
  public func language(named declared: String?, text: UnsafeBufferPointer<UInt8>) -> Language {
    if profile == .luceneEnglish { return defaultLanguage }
    if let declared, let language = Language(declared) { return language }
    if detectLanguage, let detected = LanguageDetector.detect(text) { return detected }
    return defaultLanguage
  }

  /// Checks the options: the stemming algorithm must exist in libstemmer.
  public func validate() throws(AnalyzerError) {
    if case .algorithm(let name) = stemming, SnowballStemmer(algorithm: name) == nil {
      throw .unknownStemmer(name, available: SnowballStemmer.algorithms)
    }
    guard maximumTokenLength > 0 else { throw .invalidOption("maximumTokenLength must be positive") }
  }

  /// Tokens of `text` analyzed in `language` (the default language when nil).
  ///
  /// Convenience for tools and tests: allocates a session and a `String` per token. O(n).
  public func analyze(_ text: String, language: Language? = nil) -> [Token] {
    let session = AnalysisSession(self)
    return session.analyze(text, language: language ?? defaultLanguage).tokens
  }
}

/// A bad analyzer option.
public enum AnalyzerError: Error, Equatable, CustomStringConvertible {
  case unknownStemmer(String, available: [String])
  case unknownProfile(String)
  case invalidOption(String)

  public var description: String {
    switch self {
    case .unknownStemmer(let name, let available):
      "unknown stemmer '\(name)'; libstemmer offers: \(available.joined(separator: ", "))"
    case .unknownProfile(let name):
      "unknown analyzer profile '\(name)'; profiles: \(Analyzer.Profile.allCases.map(\.rawValue).joined(separator: ", "))"
    case .invalidOption(let message): message
    }
  }
}

/// One analyzed token, for display and tests.
public struct Token: Sendable, Hashable, CustomStringConvertible {
  /// The term as the index stores it.
  public var term: String
  /// The word position (stopwords removed before it still count).
  public var position: Int
  /// UTF-8 byte offsets of the source text the token came from, `start..<end`.
  public var startOffset: Int
  public var endOffset: Int
  public var kind: TokenKind

  public init(term: String, position: Int, startOffset: Int, endOffset: Int, kind: TokenKind) {
    self.term = term
    self.position = position
    self.startOffset = startOffset
    self.endOffset = endOffset
    self.kind = kind
  }

  public var description: String { "\(term)@\(position)[\(startOffset)..<\(endOffset)]" }
}
