/// A language, named by its ISO 639-1 code (`en`, `es`, `ru`, `zh`, ...).
///
/// The language picks a document's stemmer and stopwords. Codes the analyzer has no stemmer
/// for are kept as given and analyzed without stemming or stopwords (CJK text is bigrammed
/// whatever the language).
///
///     Language("es").snowballAlgorithm   // "spanish"
///     Language("pt-BR").code             // "pt"
public struct Language: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
  /// The lowercased primary subtag, for example `en` for `en-GB`.
  public let code: String

  /// Parses a BCP 47 tag or a bare code; returns nil for an empty or malformed tag.
  public init?(_ tag: String) {
    let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
    let lower = primary.lowercased()
    guard (2...3).contains(lower.utf8.count), lower.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else {
      return nil
    }
    code = Self.aliases[lower] ?? lower
  }

  public init(from decoder: any Decoder) throws {
    let tag = try decoder.singleValueContainer().decode(String.self)
    guard let language = Language(tag) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "bad language tag \(tag)"))
    }
    self = language
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(code)
  }

  public var description: String { code }
  public static func < (a: Language, b: Language) -> Bool { a.code < b.code }

  public static let english = Language("en")!
  public static let spanish = Language("es")!
  public static let russian = Language("ru")!
  public static let indonesian = Language("id")!
  public static let malay = Language("ms")!
  public static let chinese = Language("zh")!
  public static let japanese = Language("ja")!
  public static let korean = Language("ko")!

  /// Three-letter and legacy codes folded to the two-letter ones.
  static let aliases: [String: String] = [
    "eng": "en", "spa": "es", "rus": "ru", "ind": "id", "msa": "ms", "may": "ms", "in": "id",
    "zho": "zh", "chi": "zh", "jpn": "ja", "kor": "ko", "fra": "fr", "fre": "fr", "deu": "de",
    "ger": "de", "por": "pt", "ita": "it", "nld": "nl", "dut": "nl", "nb": "no", "nn": "no",
    "nob": "no", "nno": "no", "iw": "he", "ji": "yi",
  ]

  /// The Snowball algorithm for this language in libstemmer 2.2, or nil when it has none.
  /// Malay shares Indonesian's stemmer (the two standard languages share their affixes).
  public var snowballAlgorithm: String? { Self.snowball[code] }

  static let snowball: [String: String] = [
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ms": "indonesian",
    "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
  ]

  /// The languages with a stemmer, sorted by code.
  public static var stemmed: [Language] { snowball.keys.sorted().map { Language($0)! } }

  /// True for Chinese, Japanese and Korean, whose text the analyzer bigrams.
  public var isCJK: Bool { code == "zh" || code == "ja" || code == "ko" }
}
