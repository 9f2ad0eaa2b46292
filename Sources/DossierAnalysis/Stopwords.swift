/// Stopword lists: the function words an index leaves out because nearly every document has
/// them. Removed words still count for positions, so a phrase across one matches as in Lucene.
///
/// English uses Lucene's 33-word list (the one Anserini's reference runs use). The other lists
/// are short ones written for this project: the articles, prepositions, conjunctions and
/// pronouns that make up most running text, in the form they take after case folding.
public enum Stopwords {
  /// Lucene's English stopword list (33 words).
  public static let lucene33: [String] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
    "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this",
    "to", "was", "will", "with",
  ]

  /// The built-in list for `language`, empty when there is none.
  public static func list(for language: Language) -> [String] {
    switch language.code {
    case "en": lucene33
    case "es":
      [
        "a", "al", "como", "con", "de", "del", "e", "el", "en", "entre", "es", "esta", "este", "fue", "ha",
        "la", "las", "le", "les", "lo", "los", "o", "para", "pero", "por", "que", "se", "sin", "su", "sus",
        "u", "un", "una", "y",
      ]
    case "pt":
      [
        "a", "ao", "as", "com", "da", "das", "de", "do", "dos", "e", "em", "na", "nas", "no", "nos", "o",
        "os", "ou", "para", "pela", "pelo", "por", "que", "se", "um", "uma",
      ]
    case "fr":
      [
        "au", "aux", "ce", "ces", "dans", "de", "des", "du", "en", "est", "et", "il", "la", "le", "les",
        "leur", "ou", "par", "pour", "qui", "que", "sur", "un", "une",
      ]
    case "de":
      [
        "am", "auf", "aus", "das", "dem", "den", "der", "des", "die", "ein", "eine", "einer", "es", "für",
        "im", "in", "ist", "mit", "oder", "sich", "und", "von", "zu", "zum", "zur",
      ]
    case "it":
      [
        "a", "al", "che", "con", "da", "del", "della", "di", "e", "gli", "i", "il", "in", "la", "le", "per",
        "si", "su", "un", "una",
      ]
    case "nl":
      ["de", "een", "en", "het", "in", "is", "met", "of", "op", "te", "van", "voor", "zijn"]
    case "ru":
      [
        "а", "в", "во", "до", "же", "за", "и", "из", "или", "к", "как", "на", "не", "но", "о", "об", "от",
        "по", "с", "со", "то", "у", "что", "это",
      ]
    case "id", "ms":
      [
        "adalah", "akan", "dan", "dari", "dengan", "di", "ini", "itu", "ke", "oleh", "pada", "untuk",
        "yang",
      ]
    default: []
    }
  }

  /// Words whose presence marks a language, for the detector: frequent, short and rare in
  /// the other languages it tells apart.
  static let markers: [String: [String]] = [
    "en": ["the", "and", "of", "to", "is", "that", "with", "for", "are", "was", "this", "which", "in", "a"],
    "es": [
      "de", "la", "el", "los", "las", "del", "que", "y", "en", "una", "por", "para", "con", "es", "se", "al",
    ],
    "pt": [
      "de", "os", "das", "dos", "não", "uma", "com", "que", "para", "ao", "pelo", "é", "em", "do", "da", "e",
    ],
    "fr": [
      "de", "la", "le", "les", "des", "est", "et", "une", "du", "dans", "pour", "qui", "sur", "au", "en",
    ],
    "de": ["der", "die", "und", "das", "ist", "nicht", "mit", "den", "ein", "von", "zu", "für", "im", "auf"],
    "it": ["il", "che", "della", "di", "gli", "per", "non", "sono", "una", "delle", "nel", "è", "la", "e"],
    "nl": ["het", "een", "van", "en", "de", "niet", "zijn", "voor", "op", "met", "dat", "ook", "is"],
    "id": [
      "yang", "dan", "di", "ini", "itu", "dengan", "untuk", "dari", "pada", "tidak", "akan", "oleh", "ke",
    ],
    "sv": ["och", "att", "det", "som", "är", "för", "på", "med", "av", "inte", "en", "till"],
    "tr": ["ve", "bir", "bu", "için", "ile", "da", "de", "olan", "gibi", "daha", "çok", "olarak"],
  ]
}
